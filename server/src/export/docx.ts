import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  HeadingLevel,
  LevelFormat,
  type ILevelsOptions,
  type NumberingDefinition,
  Packer,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  ShadingType,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { JSONContent } from '@charter/shared/editor';
import { safeHref, xmlSafe, xmlSafeLine } from './sanitize.js';

/** Everything a charter version's document shows. Plain data: the caller reads it from storage. */
export interface CharterDocxInput {
  title: string;
  versionId: string;
  versionNumber: number;
  label: string | null;
  /** ISO time the version was finalised. */
  finalisedAt: string;
  /** The status line of the title page, such as "Finalised" or "Finalised; superseded by version 3". */
  status: string;
  sha256: string;
  /** Where the version can be read and checked online, when known. */
  url?: string | undefined;
  sections: { title: string; doc: JSONContent }[];
  /** Live sign-ons by country: listed ones are named, unlisted ones only counted. */
  signatories: {
    country: string;
    countryName: string;
    listed: { organisation: string; acronym: string; signatory: string; title: string; signedAt: string }[];
    unlisted: number;
  }[];
  /** BCP 47 language of the document (default en-GB). */
  language?: string;
}

const TWIP_PER_LEVEL = 720;
const HANGING = 360;
const QUOTE_INDENT = 567;
const MAX_LEVEL = 8;
const BULLETS = ['\u2022', '\u25E6', '\u25AA'];
const ORDERED_FORMATS = [LevelFormat.DECIMAL, LevelFormat.LOWER_LETTER, LevelFormat.LOWER_ROMAN] as const;
const CONTENT_HEADINGS = [HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4] as const;

const listIndent = (level: number, quoteDepth: number) => ({
  left: TWIP_PER_LEVEL * (level + 1) + QUOTE_INDENT * quoteDepth,
  hanging: HANGING,
});

/** Numbering definitions shared by every list; ordered lists get one definition per start number used. */
function levels(kind: 'bullet' | 'ordered', start = 1): ILevelsOptions[] {
  return Array.from({ length: MAX_LEVEL + 1 }, (_, level) => ({
    level,
    format: kind === 'bullet' ? LevelFormat.BULLET : ORDERED_FORMATS[level % ORDERED_FORMATS.length],
    text: kind === 'bullet' ? BULLETS[level % BULLETS.length] : `%${level + 1}.`,
    start: kind === 'bullet' ? 1 : start,
    alignment: AlignmentType.START,
    style: { paragraph: { indent: listIndent(level, 0) } },
  }));
}

interface BlockContext {
  /** Depth of list nesting (0 outside lists; the first list's items are at level 0). */
  listLevel: number;
  quoteDepth: number;
}

/**
 * Maps ProseMirror JSON of the shared editor schema to docx paragraphs, in one pass: headings
 * (levels 1–3 become Heading 2–4 under the section's Heading 1), paragraphs with bold, italic and
 * links, hard breaks, bullet and ordered lists as real Word numbering (nested levels; every
 * ordered list its own numbering instance, so each restarts at its `start`), and blockquotes.
 * Unknown nodes keep their text as plain paragraphs, so nothing written is lost.
 */
export class ProseMirrorToDocx {
  private orderedInstance = 0;
  private readonly orderedStarts = new Set<number>();

  /** The numbering definitions the mapped paragraphs refer to. */
  numberingConfig(): NumberingDefinition[] {
    return [
      { reference: 'bullet', levels: levels('bullet') },
      ...[...this.orderedStarts].map((start) => ({ reference: `ordered-${start}`, levels: levels('ordered', start) })),
    ];
  }

  blocks(doc: JSONContent): Paragraph[] {
    const out: Paragraph[] = [];
    for (const node of doc.content ?? []) this.block(node, { listLevel: -1, quoteDepth: 0 }, out, undefined);
    return out;
  }

  /**
   * One block node. `numbering` is set for the first block of a list item: it carries the item's
   * bullet or number; later blocks of the item are indented to the item's text.
   */
  private block(node: JSONContent, ctx: BlockContext, out: Paragraph[], numbering: Numbering | undefined): void {
    switch (node.type) {
      case 'paragraph':
      case 'heading': {
        const heading = node.type === 'heading' ? CONTENT_HEADINGS[clampLevel(node.attrs?.level) - 1] : undefined;
        out.push(
          new Paragraph({
            children: this.inlines(node.content),
            ...(heading ? { heading } : {}),
            ...(ctx.quoteDepth > 0 && !heading ? { style: 'Quote' } : {}),
            ...this.placement(ctx, numbering),
          }),
        );
        return;
      }
      case 'blockquote': {
        const inner = { ...ctx, quoteDepth: ctx.quoteDepth + 1 };
        (node.content ?? []).forEach((child, i) => this.block(child, inner, out, i === 0 ? numbering : undefined));
        return;
      }
      case 'bulletList':
      case 'orderedList': {
        const level = Math.min(ctx.listLevel + 1, MAX_LEVEL);
        let reference = 'bullet';
        let instance = 0;
        if (node.type === 'orderedList') {
          const start = Number.isInteger(node.attrs?.start) ? Math.max(0, Math.min(node.attrs!.start as number, 32767)) : 1;
          this.orderedStarts.add(start);
          reference = `ordered-${start}`;
          instance = ++this.orderedInstance;
        }
        const inner = { ...ctx, listLevel: level };
        for (const item of node.content ?? []) {
          const marker: Numbering = { reference, instance, level };
          const children = item.type === 'listItem' ? (item.content ?? []) : [item];
          if (children.length === 0 || !['paragraph', 'heading'].includes(children[0]!.type ?? '')) {
            // An item that starts with something other than text still gets its bullet or number.
            out.push(new Paragraph({ children: [], ...this.placement(inner, marker) }));
            children.forEach((child) => this.block(child, inner, out, undefined));
          } else {
            children.forEach((child, i) => this.block(child, inner, out, i === 0 ? marker : undefined));
          }
        }
        return;
      }
      default:
        if (node.content?.length) {
          // Something the schema does not define: keep its text rather than drop it.
          const inlineOnly = node.content.every((c) => c.type === 'text' || c.type === 'hardBreak');
          if (inlineOnly) this.block({ type: 'paragraph', content: node.content }, ctx, out, numbering);
          else node.content.forEach((child, i) => this.block(child, ctx, out, i === 0 ? numbering : undefined));
        } else if (node.text) {
          this.block({ type: 'paragraph', content: [node] }, ctx, out, numbering);
        }
    }
  }

  /** Numbering and indentation of a paragraph inside lists and quotes. */
  private placement(ctx: BlockContext, numbering: Numbering | undefined) {
    if (numbering) {
      return {
        numbering: { reference: numbering.reference, level: numbering.level, instance: numbering.instance },
        ...(ctx.quoteDepth > 0 ? { indent: listIndent(numbering.level, ctx.quoteDepth) } : {}),
      };
    }
    if (ctx.listLevel >= 0) return { indent: { left: listIndent(ctx.listLevel, ctx.quoteDepth).left } };
    if (ctx.quoteDepth > 1) return { indent: { left: QUOTE_INDENT * ctx.quoteDepth } };
    return {};
  }

  private inlines(nodes: JSONContent[] | undefined): ParagraphChild[] {
    const out: ParagraphChild[] = [];
    let link: { href: string; runs: TextRun[] } | undefined;
    const closeLink = () => {
      if (link) out.push(new ExternalHyperlink({ link: link.href, children: link.runs }));
      link = undefined;
    };
    for (const node of nodes ?? []) {
      if (node.type === 'hardBreak') {
        closeLink();
        out.push(new TextRun({ break: 1 }));
        continue;
      }
      if (node.type !== 'text' || !node.text) continue;
      const marks = node.marks ?? [];
      const bold = marks.some((m) => m.type === 'bold');
      const italics = marks.some((m) => m.type === 'italic');
      const href = safeHref(marks.find((m) => m.type === 'link')?.attrs?.href);
      if (link && link.href !== href) closeLink();
      if (href && !link) link = { href, runs: [] };
      const target = link?.runs ?? out;
      xmlSafe(node.text)
        .split(/\r\n|\r|\n/u)
        .forEach((line, i) => {
          if (line || i > 0) {
            target.push(
              new TextRun({
                text: line,
                ...(i > 0 ? { break: 1 } : {}),
                ...(bold ? { bold } : {}),
                ...(italics ? { italics } : {}),
                ...(href ? { style: 'Hyperlink' } : {}),
              }),
            );
          }
        });
    }
    closeLink();
    return out;
  }
}

interface Numbering {
  reference: string;
  instance: number;
  level: number;
}

const clampLevel = (level: unknown) => (level === 2 || level === 3 ? level : 1);

const longDate = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso)) + ' UTC';

/** "41 organisations from 8 countries" */
export function signatoryCountLine(organisations: number, countries: number): string {
  if (organisations === 0) return 'No organisation has signed on to this version yet.';
  return `${organisations} organisation${organisations === 1 ? '' : 's'} from ${countries} ${countries === 1 ? 'country' : 'countries'}`;
}

const cell = (text: string, opts: { bold?: boolean; shade?: boolean } = {}) =>
  new TableCell({
    children: [new Paragraph({ children: [new TextRun({ text: xmlSafeLine(text), ...(opts.bold ? { bold: true } : {}) })] })],
    ...(opts.shade ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'E7E6E6' } } : {}),
  });

const ANNEX_COLUMNS = ['Organisation', 'Acronym', 'Signatory', 'Title', 'Date'];
const ANNEX_WIDTHS = [31, 15, 22, 18, 14];

function annex(input: CharterDocxInput): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [
    new Paragraph({ text: 'Annex: Signatory organisations', heading: HeadingLevel.HEADING_1, pageBreakBefore: true }),
  ];
  const total = input.signatories.reduce((n, g) => n + g.listed.length + g.unlisted, 0);
  const countries = input.signatories.filter((g) => g.listed.length + g.unlisted > 0).length;
  out.push(new Paragraph({ children: [new TextRun({ text: signatoryCountLine(total, countries), bold: true })] }));
  out.push(
    new Paragraph({
      text: `Organisations signed on to version ${input.versionNumber} (SHA-256 ${input.sha256}), grouped by country.`,
    }),
  );
  for (const group of input.signatories) {
    const count = group.listed.length + group.unlisted;
    if (count === 0) continue;
    out.push(new Paragraph({ text: xmlSafeLine(group.countryName), heading: HeadingLevel.HEADING_2, keepNext: true }));
    if (group.listed.length) {
      const header = new TableRow({
        tableHeader: true,
        cantSplit: true,
        children: ANNEX_COLUMNS.map((h) => cell(h, { bold: true, shade: true })),
      });
      const rows = group.listed.map(
        (s) =>
          new TableRow({
            cantSplit: true,
            children: [s.organisation, s.acronym, s.signatory, s.title, s.signedAt.slice(0, 10)].map((t) => cell(t)),
          }),
      );
      out.push(
        new Table({
          rows: [header, ...rows],
          width: { size: 100, type: WidthType.PERCENTAGE },
          columnWidths: ANNEX_WIDTHS.map((p) => Math.round(p * 90.7)),
        }),
      );
    }
    if (group.unlisted) {
      const n = group.unlisted;
      out.push(
        new Paragraph({
          children: [
            new TextRun({
              text: `${group.listed.length ? 'And ' : ''}${n} organisation${n === 1 ? '' : 's'} from ${xmlSafeLine(group.countryName)} that asked not to be listed by name.`,
              italics: true,
            }),
          ],
        }),
      );
    }
  }
  return out;
}

/**
 * Renders a charter version as a Word document fit to submit: title page (title, version, date,
 * status, SHA-256), a table of contents Word fills on opening, each section as Heading 1 with
 * its content, and an annex of signatory organisations by country. Page numbers and the version
 * sit in the footer; title, creator, version and hash in the document properties.
 */
export async function renderCharterDocx(input: CharterDocxInput): Promise<Buffer> {
  const mapper = new ProseMirrorToDocx();
  const title = xmlSafeLine(input.title);
  const versionLine = `Version ${input.versionNumber}`;

  const titlePage: Paragraph[] = [
    new Paragraph({ text: title, heading: HeadingLevel.TITLE, spacing: { before: 2400, after: 480 } }),
    ...(input.label ? [new Paragraph({ children: [new TextRun({ text: xmlSafeLine(input.label), size: 32, italics: true })] })] : []),
    new Paragraph({ children: [new TextRun({ text: versionLine, size: 32, bold: true })], spacing: { before: 240 } }),
    new Paragraph({ text: `Finalised on ${longDate(input.finalisedAt)}` }),
    new Paragraph({ text: `Status: ${xmlSafeLine(input.status)}` }),
    new Paragraph({
      spacing: { before: 480 },
      children: [
        new TextRun({ text: 'SHA-256 of the text: ', bold: true }),
        new TextRun({ text: input.sha256, font: 'Courier New', size: 18 }),
      ],
    }),
    ...(input.url
      ? [
          new Paragraph({
            children: [
              new TextRun('Read and check this version online: '),
              new ExternalHyperlink({ link: input.url, children: [new TextRun({ text: input.url, style: 'Hyperlink' })] }),
            ],
          }),
        ]
      : []),
  ];

  const sectionTitles = input.sections.map((s) => xmlSafeLine(s.title) || 'Untitled section');
  const contents = [
    new Paragraph({ children: [new TextRun({ text: 'Contents', bold: true, size: 32 })], pageBreakBefore: true }),
    new TableOfContents('Contents', {
      hyperlink: true,
      headingStyleRange: '1-1',
      cachedEntries: [...sectionTitles.map((t) => ({ title: t, level: 1 })), { title: 'Annex: Signatory organisations', level: 1 }],
    }),
  ];

  const body: (Paragraph | Table)[] = [];
  input.sections.forEach((section, i) => {
    body.push(new Paragraph({ text: sectionTitles[i]!, heading: HeadingLevel.HEADING_1, ...(i === 0 ? { pageBreakBefore: true } : {}) }));
    body.push(...mapper.blocks(section.doc));
  });

  const footerText = `${title.length > 80 ? `${title.slice(0, 79)}…` : title} · ${versionLine} · Page `;
  const footer = new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [
          new TextRun({ children: [footerText, PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES], size: 16, color: '595959' }),
        ],
      }),
    ],
  });

  const doc = new Document({
    title,
    creator: 'Charter',
    lastModifiedBy: 'Charter',
    description: `${versionLine} of “${title}”, SHA-256 ${input.sha256}`,
    subject: versionLine,
    customProperties: [
      { name: 'version', value: String(input.versionNumber) },
      { name: 'sha256', value: input.sha256 },
      { name: 'versionId', value: input.versionId },
    ],
    features: { updateFields: true },
    numbering: { config: mapper.numberingConfig() },
    styles: {
      default: {
        document: {
          run: { font: 'Calibri', size: 22, language: { value: input.language ?? 'en-GB' } },
          paragraph: { spacing: { after: 120, line: 276 } },
        },
        heading1: { paragraph: { spacing: { before: 360, after: 160 }, keepNext: true } },
        heading2: { paragraph: { spacing: { before: 240, after: 120 }, keepNext: true } },
      },
      paragraphStyles: [
        {
          id: 'Quote',
          name: 'Quote',
          basedOn: 'Normal',
          next: 'Normal',
          quickFormat: true,
          run: { italics: true, color: '404040' },
          paragraph: {
            indent: { left: QUOTE_INDENT },
            border: { left: { style: BorderStyle.SINGLE, size: 12, color: 'A6A6A6', space: 8 } },
          },
        },
      ],
    },
    sections: [
      {
        properties: { titlePage: true },
        footers: { default: footer, first: new Footer({ children: [] }) },
        children: [...titlePage, ...contents, ...body, ...annex(input)],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
