import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { canonicalJson, versionContentHash } from './versions.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson([undefined, null, true, 1.5, 'é\n"'])).toBe('[null,null,true,1.5,"é\\n\\""]');
    expect(canonicalJson('x')).toBe('"x"');
    expect(() => canonicalJson({ n: Number.NaN })).toThrow();
  });

  it('gives the same string whatever order the keys were written in', () => {
    const a = { type: 'paragraph', attrs: { level: 1, textAlign: null }, content: [{ type: 'text', text: 'Hi', marks: [{ type: 'bold' }] }] };
    const b = { content: [{ marks: [{ type: 'bold' }], text: 'Hi', type: 'text' }], attrs: { textAlign: null, level: 1 }, type: 'paragraph' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });
});

describe('versionContentHash', () => {
  const content = {
    title: 'Principles of practice',
    sections: [
      { key: 'case-management', title: 'Case management', doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'One' }] }] }, text: 'One' },
      { key: 'shelters', title: 'Shelters', doc: { type: 'doc', content: [] }, text: '' },
    ],
  };

  it('is the SHA-256 of the documented canonical form', () => {
    const expected = createHash('sha256')
      .update(
        '{"format":"charter-version/1","sections":[' +
          '{"doc":{"content":[{"content":[{"text":"One","type":"text"}],"type":"paragraph"}],"type":"doc"},"key":"case-management","text":"One","title":"Case management"},' +
          '{"doc":{"content":[],"type":"doc"},"key":"shelters","text":"","title":"Shelters"}' +
          '],"title":"Principles of practice"}',
      )
      .digest('hex');
    expect(versionContentHash(content)).toBe(expected);
  });

  it('changes with the text, the section order, a title or formatting', () => {
    const base = versionContentHash(content);
    expect(versionContentHash({ ...content, sections: [...content.sections].reverse() })).not.toBe(base);
    expect(versionContentHash({ ...content, title: 'Other' })).not.toBe(base);
    const bold = structuredClone(content);
    (bold.sections[0]!.doc.content[0] as { content: { marks?: unknown[] }[] }).content[0]!.marks = [{ type: 'bold' }];
    expect(versionContentHash(bold)).not.toBe(base);
    expect(versionContentHash(structuredClone(content))).toBe(base);
  });
});
