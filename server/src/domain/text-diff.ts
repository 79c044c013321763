import type { DiffPart } from '@charter/shared';

/** Largest LCS table (tokens × tokens) computed before falling back to a coarser comparison. */
const MAX_CELLS = 4_000_000;

// Words (letters, digits, inner apostrophes and hyphens), runs of spaces, and each other character alone.
const words = (s: string): string[] => s.match(/\s+|[\p{L}\p{M}\p{N}_]+(?:['’-][\p{L}\p{M}\p{N}_]+)*|[^\s]/gu) ?? [];
const lines = (s: string): string[] => s.match(/[^\n]*\n|[^\n]+/gu) ?? [];

/**
 * A readable difference between two plain texts: word by word (whitespace kept), falling back to
 * line by line and then to "all replaced" when the changed middle is too large to compare in
 * bounded time and memory. Concatenating the `equal` and `delete` parts gives `a`; the `equal`
 * and `insert` parts give `b`.
 */
export function diffText(a: string, b: string): DiffPart[] {
  if (a === b) return a ? [{ op: 'equal', text: a }] : [];
  const parts = diffTokens(words(a), words(b)) ?? diffTokens(lines(a), lines(b));
  if (parts) return parts;
  return merge([
    { op: 'delete', text: a },
    { op: 'insert', text: b },
  ]);
}

function diffTokens(a: string[], b: string[]): DiffPart[] | undefined {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  if ((n + 1) * (m + 1) > MAX_CELLS) return undefined;

  const out: DiffPart[] = [];
  if (start > 0) out.push({ op: 'equal', text: a.slice(0, start).join('') });
  // Tokens as small integers, so the table compares numbers, not strings.
  const ids = new Map<string, number>();
  const id = (t: string) => {
    let v = ids.get(t);
    if (v === undefined) ids.set(t, (v = ids.size));
    return v;
  };
  const x = Int32Array.from(a.slice(start, endA), id);
  const y = Int32Array.from(b.slice(start, endB), id);
  // lcs[i * w + j]: length of the longest common subsequence of x[i..] and y[j..].
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  const ta = a.slice(start, endA);
  const tb = b.slice(start, endB);
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      out.push({ op: 'equal', text: ta[i++]! });
      j++;
    } else if (j < m && (i === n || lcs[i * w + j + 1]! >= lcs[(i + 1) * w + j]!)) {
      out.push({ op: 'insert', text: tb[j++]! });
    } else {
      out.push({ op: 'delete', text: ta[i++]! });
    }
  }
  if (endA < a.length) out.push({ op: 'equal', text: a.slice(endA).join('') });
  return absorbLoneSpaces(merge(out));
}

/** A run of spaces alone between two changes reads better as part of the change: ", ever " not "," " " "ever ". */
function absorbLoneSpaces(parts: DiffPart[]): DiffPart[] {
  const isChange = (p: DiffPart | undefined) => p !== undefined && p.op !== 'equal';
  const out: DiffPart[] = [];
  parts.forEach((p, i) => {
    if (p.op === 'equal' && /^\s+$/u.test(p.text) && isChange(parts[i - 1]) && isChange(parts[i + 1])) {
      out.push({ op: 'delete', text: p.text }, { op: 'insert', text: p.text });
    } else out.push(p);
  });
  return out.length === parts.length ? parts : merge(out);
}

/** Joins neighbouring parts of the same kind; deletions come before insertions in each changed run. */
function merge(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  let del = '';
  let ins = '';
  const flush = () => {
    if (del) out.push({ op: 'delete', text: del });
    if (ins) out.push({ op: 'insert', text: ins });
    del = ins = '';
  };
  for (const p of parts) {
    if (!p.text) continue;
    if (p.op === 'delete') del += p.text;
    else if (p.op === 'insert') ins += p.text;
    else {
      flush();
      const last = out.at(-1);
      if (last?.op === 'equal') last.text += p.text;
      else out.push({ op: 'equal', text: p.text });
    }
  }
  flush();
  return out;
}
