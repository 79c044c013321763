import type { JSONContent } from '@charter/shared/editor';

const WORDS =
  'the working group agrees that survivors are heard first and that every referral is followed up within a week by a trained case worker with the consent of the person concerned while shelters stay open at night and justice is within reach for everyone'.split(
    ' ',
  );

function sentence(seed: number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[(seed * 7 + i * 13) % WORDS.length]!);
  const s = out.join(' ');
  return s[0]!.toUpperCase() + s.slice(1);
}

const textNode = (text: string, marks?: JSONContent['marks']): JSONContent => ({ type: 'text', text, ...(marks ? { marks } : {}) });

/** A paragraph with plain, bold, italic and (every third one) linked text. */
function paragraph(seed: number): JSONContent {
  const content: JSONContent[] = [textNode(`${sentence(seed, 14)}, `), textNode(sentence(seed + 1, 3).toLowerCase(), [{ type: 'bold' }]), textNode(' and ')];
  content.push(textNode(sentence(seed + 2, 2).toLowerCase(), [{ type: 'italic' }]));
  if (seed % 3 === 0) {
    content.push(textNode('; see '));
    content.push(textNode(`guidance note ${seed}`, [{ type: 'link', attrs: { href: `https://example.org/guidance/${seed}` } }]));
  }
  content.push(textNode('.'));
  return { type: 'paragraph', content };
}

const item = (seed: number, nested?: JSONContent): JSONContent => ({ type: 'listItem', content: [paragraph(seed), ...(nested ? [nested] : [])] });

/**
 * One section's body with exactly `paragraphs` paragraph nodes (at least 16): a heading, body
 * paragraphs with marks and links, a bullet list with a nested list, a numbered list, a quote.
 */
export function sectionContent(section: number, paragraphs = 40): JSONContent {
  const seed = section * 1000;
  const nested: JSONContent = { type: 'bulletList', content: [item(seed + 900), item(seed + 901)] };
  const bullets: JSONContent = { type: 'bulletList', content: [item(seed + 800, nested), ...Array.from({ length: 5 }, (_, i) => item(seed + 801 + i))] };
  const ordered: JSONContent = { type: 'orderedList', attrs: { start: 1 }, content: Array.from({ length: 6 }, (_, i) => item(seed + 700 + i)) };
  const quote: JSONContent = { type: 'blockquote', content: [paragraph(seed + 600), paragraph(seed + 601)] };
  const body = Math.max(0, paragraphs - 16);
  const half = body >> 1;
  const para = (from: number, n: number) => Array.from({ length: n }, (_, i) => paragraph(seed + from + i));
  return {
    type: 'doc',
    content: [
      { type: 'heading', attrs: { level: 2 }, content: [textNode(`Commitments of part ${section + 1}`)] },
      ...para(0, half),
      bullets,
      ...para(half, body - half),
      ordered,
      quote,
    ],
  };
}

/** Paragraph nodes anywhere in a ProseMirror document. */
export function countParagraphs(doc: JSONContent | undefined): number {
  if (!doc) return 0;
  return (doc.type === 'paragraph' ? 1 : 0) + (doc.content ?? []).reduce((n, c) => n + countParagraphs(c), 0);
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** ProseMirror JSON of the shared schema as plain HTML (what pandoc is given). */
export function toHtml(node: JSONContent): string {
  const inner = () => (node.content ?? []).map(toHtml).join('');
  switch (node.type) {
    case 'doc':
      return inner();
    case 'paragraph':
      return `<p>${inner()}</p>\n`;
    case 'heading':
      return `<h${Math.min(6, Number(node.attrs?.level ?? 2))}>${inner()}</h${Math.min(6, Number(node.attrs?.level ?? 2))}>\n`;
    case 'bulletList':
      return `<ul>\n${inner()}</ul>\n`;
    case 'orderedList':
      return `<ol start="${Number(node.attrs?.start ?? 1)}">\n${inner()}</ol>\n`;
    case 'listItem':
      return `<li>${inner()}</li>\n`;
    case 'blockquote':
      return `<blockquote>\n${inner()}</blockquote>\n`;
    case 'hardBreak':
      return '<br>';
    case 'text': {
      let html = esc(node.text ?? '');
      for (const mark of node.marks ?? []) {
        if (mark.type === 'bold') html = `<strong>${html}</strong>`;
        else if (mark.type === 'italic') html = `<em>${html}</em>`;
        else if (mark.type === 'link') html = `<a href="${esc(String(mark.attrs?.href ?? ''))}">${html}</a>`;
      }
      return html;
    }
    default:
      return inner();
  }
}
