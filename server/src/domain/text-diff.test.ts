import { describe, expect, it } from 'vitest';
import { diffText } from './text-diff.js';

const apply = (parts: ReturnType<typeof diffText>, side: 'from' | 'to') =>
  parts.filter((p) => p.op === 'equal' || p.op === (side === 'from' ? 'delete' : 'insert')).map((p) => p.text).join('');

describe('diffText', () => {
  it('shows changed words between unchanged ones', () => {
    const parts = diffText('Shelters are never places of detention.', 'Shelters are never, ever places of detention or control.');
    for (const p of parts.filter((p) => p.op === 'delete')) expect(p.text.trim()).toBe('');
    const inserted = parts.filter((p) => p.op === 'insert').map((p) => p.text.trim());
    expect(inserted).toEqual([expect.stringMatching(/^,? ?ever,?$/), 'or control']);
    expect(parts[0]).toEqual({ op: 'equal', text: expect.stringMatching(/^Shelters are never/) });
    expect(parts.at(-1)).toEqual({ op: 'equal', text: '.' });
  });

  it('always rebuilds both texts', () => {
    const cases: [string, string][] = [
      ['', 'new text'],
      ['old text', ''],
      ['same', 'same'],
      ['a b c d e', 'a c e f'],
      ['line one\nline two\nline three', 'line one\nline 2\nline three\nline four'],
      ['ünïcödé 😀 words', 'ünïcödé 🙂 words'],
    ];
    for (const [a, b] of cases) {
      const parts = diffText(a, b);
      expect(apply(parts, 'from')).toBe(a);
      expect(apply(parts, 'to')).toBe(b);
    }
  });

  it('falls back to coarser parts for very large changes, still exact', () => {
    const a = Array.from({ length: 4000 }, (_, i) => `word${i}`).join(' ');
    const b = Array.from({ length: 4000 }, (_, i) => `other${i}`).join(' ');
    const started = performance.now();
    const parts = diffText(a, b);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(apply(parts, 'from')).toBe(a);
    expect(apply(parts, 'to')).toBe(b);
  });
});
