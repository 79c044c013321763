import { afterEach, describe, expect, it } from 'vitest';
import type { JSONContent } from '@charter/shared/editor';
import { ApiError } from '../errors.js';
import { renderCharterDocx, type CharterDocxInput } from './docx.js';
import { DocxRenderer } from './renderer.js';
import { unzip } from './unzip.testutil.js';

/** A version of `sections` sections (40 paragraphs each) and `signatories` listed organisations in Kenya. */
function charter(sections: number, signatories: number): CharterDocxInput {
  const paragraph = (s: number, i: number): JSONContent => ({
    type: 'paragraph',
    content: [
      { type: 'text', text: `Survivors are referred within 48 hours (section ${s}, paragraph ${i}); ` },
      { type: 'text', text: 'see the referral pathway', marks: [{ type: 'link', attrs: { href: 'https://example.org/referral' } }] },
    ],
  });
  return {
    title: 'Principles of practice on case management',
    versionId: 'v-renderer',
    versionNumber: 1,
    label: null,
    finalisedAt: '2026-11-22T10:00:00Z',
    status: 'Finalised',
    sha256: 'c'.repeat(64),
    sections: Array.from({ length: sections }, (_, s) => ({
      title: `Section ${s + 1}`,
      doc: { type: 'doc', content: Array.from({ length: 40 }, (_, i) => paragraph(s, i)) },
    })),
    signatories: [
      {
        country: 'KE',
        countryName: 'Kenya',
        listed: Array.from({ length: signatories }, (_, i) => ({
          organisation: `HAART Kenya partner ${i + 1}`,
          acronym: `HK${i + 1}`,
          signatory: 'Radoslaw Malinowski',
          title: 'Director',
          signedAt: '2026-11-22T11:00:00Z',
        })),
        unlisted: 1,
      },
    ],
  };
}

const renderers: DocxRenderer[] = [];
function renderer(opts: ConstructorParameters<typeof DocxRenderer>[0]): DocxRenderer {
  const r = new DocxRenderer(opts);
  renderers.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(renderers.splice(0).map((r) => r.close()));
});

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('DocxRenderer (the export worker thread)', () => {
  it('renders on its worker exactly the document the library renders in the main thread', async () => {
    const r = renderer({ maxHeapMb: 160 });
    const input = charter(3, 12);
    const fromWorker = await r.render(input);
    expect(r.running).toBe(true);
    const inThread = await renderCharterDocx(input);
    expect(fromWorker.subarray(0, 2).toString()).toBe('PK');
    const xml = unzip(fromWorker).get('word/document.xml')!;
    expect(xml).toContain('HAART Kenya partner 12');
    expect(xml).toContain('section 2, paragraph 39');
    // Hyperlink relationship ids are random per render; everything else is the same.
    const stable = (x: string) => x.replace(/rId[\w-]+/g, 'rId');
    expect(stable(xml)).toBe(stable(unzip(inThread).get('word/document.xml')!));
  });

  it('fails an export too large for its heap cap with a 503, and the next export works on a fresh worker', async () => {
    const r = renderer({ maxHeapMb: 32, maxYoungMb: 4 });
    const err = await refusal(r.render(charter(60, 2_000)));
    expect(err.status).toBe(503);
    expect(err.code).toBe('export_unavailable');
    expect(err.headers?.['Retry-After']).toBe('10');
    const small = await r.render(charter(1, 3));
    expect(unzip(small).get('word/document.xml')).toContain('HAART Kenya partner 3');
  });

  it('queues exports in order, and refuses with export_busy beyond the queue', async () => {
    const r = renderer({ maxHeapMb: 160, maxQueued: 1 });
    const first = r.render(charter(2, 1));
    const second = r.render(charter(1, 2));
    const third = await refusal(r.render(charter(1, 3)));
    // (the first two are awaited below)
    expect(third.status).toBe(503);
    expect(third.code).toBe('export_busy');
    expect(third.headers?.['Retry-After']).toBe('5');
    expect(unzip(await first).get('word/document.xml')).toContain('Section 2');
    const secondXml = unzip(await second).get('word/document.xml')!;
    expect(secondXml).toContain('HAART Kenya partner 2');
    expect(secondXml).not.toContain('Section 2');
  });

  it('stops its worker when idle and starts a new one for the next export', async () => {
    const r = renderer({ maxHeapMb: 160, idleMs: 50 });
    await r.render(charter(1, 1));
    expect(r.running).toBe(true);
    await expect.poll(() => r.running, { timeout: 5_000 }).toBe(false);
    const again = await r.render(charter(1, 4));
    expect(unzip(again).get('word/document.xml')).toContain('HAART Kenya partner 4');
  });

  it('fails waiting exports with a 503 when closed, and refuses new ones', async () => {
    const r = renderer({ maxHeapMb: 160 });
    const rendering = refusal(r.render(charter(5, 10)));
    const waiting = refusal(r.render(charter(1, 1)));
    await r.close();
    expect((await rendering).code).toBe('export_unavailable');
    expect((await waiting).code).toBe('export_unavailable');
    expect((await refusal(r.render(charter(1, 1)))).code).toBe('export_unavailable');
    expect(r.running).toBe(false);
  });
});
