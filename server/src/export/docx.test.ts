import { describe, expect, it } from 'vitest';
import type { JSONContent } from '@charter/shared/editor';
import { renderCharterDocx, signatoryCountLine, type CharterDocxInput } from './docx.js';
import { safeHref, xmlSafe, xmlSafeLine } from './sanitize.js';
import { unzip } from './unzip.testutil.js';

const text = (t: string, marks?: JSONContent['marks']): JSONContent => ({ type: 'text', text: t, ...(marks ? { marks } : {}) });
const para = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });
const item = (...content: JSONContent[]): JSONContent => ({ type: 'listItem', content });

function input(sections: CharterDocxInput['sections'], extra: Partial<CharterDocxInput> = {}): CharterDocxInput {
  return {
    title: 'Principles of practice',
    versionId: 'v1',
    versionNumber: 2,
    label: null,
    finalisedAt: '2026-11-22T10:00:00.000Z',
    status: 'Finalised',
    sha256: 'ab'.repeat(32),
    sections,
    signatories: [],
    ...extra,
  };
}

describe('xmlSafe', () => {
  it('drops what XML 1.0 cannot carry and keeps everything else', () => {
    expect(xmlSafe('a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg\u007Fh\u0085i\uFFFEj\uFFFFk')).toBe('abcdefghijk');
    expect(xmlSafe('tab\tnew\nline\r')).toBe('tab\tnew\nline\r');
    expect(xmlSafe('lone \uD800 high, lone \uDC00 low, pair 😀')).toBe('lone  high, lone  low, pair 😀');
    expect(xmlSafe('<w:p> & "q" ]]>')).toBe('<w:p> & "q" ]]>');
    expect(xmlSafeLine('one\ntwo\t\tthree')).toBe('one two three');
  });

  it('accepts only http(s) and mailto links', () => {
    expect(safeHref('https://example.org/a b?x="y"')).toBe('https://example.org/a%20b?x=%22y%22');
    expect(safeHref('mailto:info@example.org')).toBe('mailto:info@example.org');
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('file:///etc/passwd')).toBeUndefined();
    expect(safeHref('not a url')).toBeUndefined();
    expect(safeHref(42)).toBeUndefined();
  });
});

describe('signatoryCountLine', () => {
  it('counts organisations and countries in plain English', () => {
    expect(signatoryCountLine(41, 8)).toBe('41 organisations from 8 countries');
    expect(signatoryCountLine(1, 1)).toBe('1 organisation from 1 country');
    expect(signatoryCountLine(0, 0)).toMatch(/No organisation/);
  });
});

describe('renderCharterDocx', () => {
  it('maps lists to real numbering: nested levels, and each ordered list restarting at its start', async () => {
    const doc: JSONContent = {
      type: 'doc',
      content: [
        {
          type: 'orderedList',
          attrs: { start: 3 },
          content: [
            item(para(text('three')), { type: 'bulletList', content: [item(para(text('nested bullet')), para(text('continuation')))] }),
            item(para(text('four'))),
          ],
        },
        para(text('between')),
        { type: 'orderedList', attrs: { start: 1 }, content: [item(para(text('one again')))] },
        { type: 'orderedList', attrs: { start: 1 }, content: [item(para(text('and again')))] },
      ],
    };
    const files = unzip(await renderCharterDocx(input([{ title: 'Lists', doc }])));
    const body = files.get('word/document.xml')!;
    const numbering = files.get('word/numbering.xml')!;
    const numPr = (label: string) => {
      const at = body.indexOf(`>${label}<`);
      const para = body.slice(body.lastIndexOf('<w:p>', at), at);
      const m = para.match(/<w:ilvl w:val="(\d)"\/><w:numId w:val="(\d+)"\/>/);
      return m ? { level: Number(m[1]), numId: Number(m[2]) } : undefined;
    };
    const three = numPr('three')!;
    const four = numPr('four')!;
    const nested = numPr('nested bullet')!;
    const again = numPr('one again')!;
    const again2 = numPr('and again')!;
    expect(three.level).toBe(0);
    expect(four).toEqual(three);
    expect(nested.level).toBe(1);
    expect(nested.numId).not.toBe(three.numId);
    expect(numPr('continuation')).toBeUndefined();
    expect(numPr('between')).toBeUndefined();
    // Three ordered lists, three numbering instances, each with its own start.
    expect(new Set([three.numId, again.numId, again2.numId]).size).toBe(3);
    const startOf = (numId: number) =>
      Number(numbering.match(new RegExp(`<w:num w:numId="${numId}">.*?<w:startOverride w:val="(\\d+)"/>`))?.[1]);
    expect(startOf(three.numId)).toBe(3);
    expect(startOf(again.numId)).toBe(1);
    expect(startOf(again2.numId)).toBe(1);
    expect(numbering).toContain('w:val="decimal"');
    expect(numbering).toContain('w:val="bullet"');
  });

  it('writes headings, bold, italic, real hyperlinks (only safe ones), breaks and quotes', async () => {
    const doc: JSONContent = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 1 }, content: [text('We commit to')] },
        { type: 'heading', attrs: { level: 3 }, content: [text('Small heading')] },
        para(
          text('bold', [{ type: 'bold' }]),
          text(' and '),
          text('italic', [{ type: 'italic' }]),
          { type: 'hardBreak' },
          text('a link', [{ type: 'link', attrs: { href: 'https://example.org/?a=1&b=2' } }]),
          text(' and '),
          text('a trap', [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }]),
        ),
        { type: 'blockquote', content: [para(text('quoted')), { type: 'blockquote', content: [para(text('deeper'))] }] },
        { type: 'mystery', content: [text('unknown node text')] },
      ],
    };
    const files = unzip(await renderCharterDocx(input([{ title: 'Formatting', doc }])));
    const body = files.get('word/document.xml')!;
    const rels = files.get('word/_rels/document.xml.rels')!;
    expect(body).toMatch(/<w:pStyle w:val="Heading1"\/>.*?Formatting/);
    expect(body).toMatch(/<w:pStyle w:val="Heading2"\/><\/w:pPr><w:r><w:t xml:space="preserve">We commit to/);
    expect(body).toMatch(/<w:pStyle w:val="Heading4"\/><\/w:pPr><w:r><w:t xml:space="preserve">Small heading/);
    expect(body).toMatch(/<w:b\/>.*?>bold</);
    expect(body).toMatch(/<w:i\/>.*?>italic</);
    expect(body).toContain('<w:br/>');
    expect(body).toMatch(/<w:hyperlink[^>]*r:id="([^"]+)"[^>]*>.*?a link/);
    expect(rels).toContain('Target="https://example.org/?a=1&amp;b=2" TargetMode="External"');
    expect(rels).not.toContain('javascript');
    expect(body).toContain('a trap');
    expect(body).toMatch(/<w:pStyle w:val="Quote"\/><\/w:pPr><w:r><w:t xml:space="preserve">quoted/);
    expect(body).toMatch(/<w:pStyle w:val="Quote"\/><w:ind w:left="1134"\/><\/w:pPr><w:r><w:t xml:space="preserve">deeper/);
    expect(body).toContain('unknown node text');
  });

  it('has a title page, a table of contents, footer page numbers, properties, a language and the annex', async () => {
    const doc: JSONContent = { type: 'doc', content: [para(text('Body text'))] };
    const files = unzip(
      await renderCharterDocx(
        input([{ title: 'Section one', doc }], {
          label: 'Nairobi',
          signatories: [
            {
              country: 'KE',
              countryName: 'Kenya',
              listed: [{ organisation: 'HAART', acronym: 'HAART', signatory: 'R. M.', title: 'Director', signedAt: '2026-11-23T08:00:00Z' }],
              unlisted: 2,
            },
            { country: 'TH', countryName: 'Thailand', listed: [], unlisted: 1 },
          ],
        }),
      ),
    );
    const body = files.get('word/document.xml')!;
    expect(body).toMatch(/<w:pStyle w:val="Title"\/>.*?Principles of practice/);
    expect(body).toContain('Version 2');
    expect(body).toContain('Nairobi');
    expect(body).toContain('Finalised on 22 November 2026');
    expect(body).toContain('Status: Finalised');
    expect(body).toContain('ab'.repeat(32));
    expect(body).toContain("TOC \\h \\o &quot;1-1&quot;");
    expect(body).toContain('4 organisations from 2 countries');
    expect(body).toContain('<w:tblHeader/>');
    expect(body).toMatch(/>Kenya<.*>HAART<.*>2026-11-23</);
    expect(body).toContain('And 2 organisations from Kenya that asked not to be listed by name.');
    expect(body).toContain('1 organisation from Thailand that asked not to be listed by name.');
    expect(body).toContain('<w:titlePg/>');
    const footers = [...files.keys()].filter((k) => /^word\/footer\d+\.xml$/.test(k)).map((k) => files.get(k)!);
    expect(footers.some((f) => f.includes('PAGE') && f.includes('NUMPAGES') && f.includes('Version 2'))).toBe(true);
    expect(files.get('word/settings.xml')).toMatch(/<w:updateFields( w:val="(true|1)")?\/>/);
    expect(files.get('word/styles.xml')).toContain('<w:lang w:val="en-GB"/>');
    expect(files.get('docProps/core.xml')).toContain('<dc:title>Principles of practice</dc:title>');
    expect(files.get('docProps/core.xml')).toContain('<dc:creator>Charter</dc:creator>');
    const custom = files.get('docProps/custom.xml')!;
    expect(custom).toMatch(/name="version"><vt:lpwstr>2</);
    expect(custom).toMatch(new RegExp(`name="sha256"><vt:lpwstr>${'ab'.repeat(32)}<`));
  });

  it('keeps hostile text as text, never markup', async () => {
    const doc: JSONContent = { type: 'doc', content: [para(text('</w:t></w:r><w:fldSimple w:instr="DDE"/>&amp; \u0001\uD800'))] };
    const files = unzip(
      await renderCharterDocx(
        input([{ title: '<w:p> & \u000B title', doc }], {
          title: 'T </dc:title>',
          signatories: [{ country: 'KE', countryName: 'Kenya', listed: [{ organisation: '<x/>', acronym: '&', signatory: '"', title: "'", signedAt: '2026-01-01T00:00:00Z' }], unlisted: 0 }],
        }),
      ),
    );
    const body = files.get('word/document.xml')!;
    expect(body).toContain('&lt;/w:t&gt;&lt;/w:r&gt;&lt;w:fldSimple w:instr=&quot;DDE&quot;/&gt;&amp;amp; ');
    expect(body).not.toContain('<w:fldSimple');
    expect(body).toContain('&lt;w:p&gt; &amp;  title');
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    expect(body).not.toMatch(/[\u0001\u000B\uD800]/);
    expect(files.get('docProps/core.xml')).toContain('T &lt;/dc:title&gt;');
  });

  it('stays linear: 50 sections, 2,000 paragraphs with lists and links, 1,000 signatories', async () => {
    const sections = Array.from({ length: 50 }, (_, s) => ({
      title: `Section ${s + 1}`,
      doc: {
        type: 'doc',
        content: Array.from({ length: 10 }, (_, b) =>
          b % 3 === 2
            ? { type: 'orderedList', content: [1, 2, 3].map((n) => item(para(text(`Item ${n} of block ${b}`)))) }
            : para(text(`Paragraph ${b} of section ${s}, with `), text('a link', [{ type: 'link', attrs: { href: 'https://example.org' } }]), text(' and more words.')),
        ).concat(Array.from({ length: 27 }, (_, i) => para(text(`Filler paragraph ${i} `.repeat(8))))),
      } as JSONContent,
    }));
    const countries = ['KE', 'UG', 'ET', 'TH', 'KH', 'ID', 'IN', 'MX'];
    const signatories = countries.map((country, c) => ({
      country,
      countryName: country,
      listed: Array.from({ length: 125 }, (_, i) => ({
        organisation: `Organisation ${c}-${i}`,
        acronym: `O${i}`,
        signatory: `Person ${i}`,
        title: 'Director',
        signedAt: '2026-11-22T10:00:00Z',
      })),
      unlisted: 0,
    }));
    const started = performance.now();
    const bytes = await renderCharterDocx(input(sections, { signatories }));
    const ms = performance.now() - started;
    console.log(`large export: ${Math.round(ms)} ms, ${bytes.byteLength} bytes`);
    expect(unzip(bytes).get('word/document.xml')).toContain('1000 organisations from 8 countries');
    // The benchmark issue measures the real target (< 1 s); this only catches a non-linear regression.
    expect(ms).toBeLessThan(10_000);
  });
});
