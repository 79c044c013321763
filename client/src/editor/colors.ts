// Dark enough for white text on top (contrast ≥ 4.5:1), distinct enough side by side.
const PALETTE = ['#1d4ed8', '#b91c1c', '#047857', '#7c3aed', '#b45309', '#be185d', '#0f766e', '#4d7c0f', '#c2410c', '#0369a1', '#a21caf', '#475569'];

/** The colour of a person's caret and presence dot: the same for them in every browser. */
export function colorFor(id: string): string {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return PALETTE[(h >>> 0) % PALETTE.length]!;
}
