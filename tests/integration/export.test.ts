import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocxRenderer } from '@charter/server';
import { Api, charterWithSecretariat, startTestServer, type TestServer } from '../helpers/server.js';
import { account, appendParagraphs, appendRich, fetchBytes, finalisedCharter, forumOf41, signonBody } from './versions-helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** LibreOffice, when installed: used to check that documents convert to PDF. */
function findSoffice(): string | undefined {
  for (const p of ['/usr/bin/soffice', '/usr/local/bin/soffice', '/usr/bin/libreoffice']) if (existsSync(p)) return p;
  try {
    return execFileSync('which', ['soffice'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
const soffice = findSoffice();

/** Converts a DOCX to PDF with LibreOffice; returns the PDF's size, or undefined when LibreOffice is absent. */
function convertToPdf(bytes: Buffer): number | undefined {
  if (!soffice) {
    console.warn('soffice not found: skipping the DOCX → PDF conversion check');
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'charter-pdf-'));
  try {
    writeFileSync(join(dir, 'in.docx'), bytes);
    execFileSync(soffice, [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, join(dir, 'in.docx')], {
      stdio: 'pipe',
      timeout: 120_000,
    });
    const pdf = readdirSync(dir).find((f) => f.endsWith('.pdf'));
    if (!pdf) throw new Error('LibreOffice produced no PDF');
    return statSync(join(dir, pdf)).size;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The lines of a section's plain text as they appear in the document (list markers are Word numbering there). */
const textLines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim().replace(/^(- |\d+\. )/, '').trim())
    .filter(Boolean);

describe('DOCX export', () => {
  it('has the title page, every section, the annex grouped by country with the count line, and the sha256', async () => {
    const { api, charter, user } = await charterWithSecretariat(server.url);
    const justice = charter.sections.find((s) => s.key === 'access-to-justice')!;
    appendRich(server, justice.id, [
      { p: [['Survivors have the right to '], ['free legal aid', { bold: {} }], [' and to '], ['compensation', { italic: {} }], ['; see '], ['the UN principles', { link: { href: 'https://www.ohchr.org/en/trafficking' } }], ['.']] },
      { ol: { start: 3, items: [{ text: 'Third commitment', nested: ['Nested detail A', 'Nested detail B'] }, { text: 'Fourth commitment' }] } },
      { ol: { items: [{ text: 'A list that starts again' }] } },
      { quote: 'Nothing about us without us.' },
    ]);
    const fin = await api.post(`/api/charters/${charter.id}/finalise`, { label: 'Nairobi forum' });
    const version = fin.body.version;

    const desk = await account(server, 'desk');
    const orgs = forumOf41();
    for (const [i, org] of orgs.entries()) {
      const res = await desk.api.post(`/api/versions/${version.id}/signons`, signonBody(org, i === 40 ? { publicListing: false } : {}));
      expect(res.status).toBe(201);
    }
    const gone = await desk.api.post(`/api/versions/${version.id}/signons`, signonBody({ name: 'Withdrawn Before Export', country: 'KE' }));
    await desk.api.delete(`/api/versions/${version.id}/signons/${gone.body.signon.id}`);

    const res = await fetchBytes(server.url, `/api/versions/${version.id}/export.docx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(DOCX_TYPE);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="regional-principles-of-practice-v1\.docx"/);
    expect(res.bytes.subarray(0, 2).toString()).toBe('PK');

    const { value: text, messages } = await mammoth.extractRawText({ buffer: res.bytes });
    expect(messages.filter((m) => m.type === 'error')).toEqual([]);
    expect(text).toContain('Regional principles of practice');
    expect(text).toContain('Version 1');
    expect(text).toContain('Nairobi forum');
    expect(text).toContain(version.sha256);
    expect(text).toMatch(/Finalised on \d{1,2} \w+ \d{4}/);
    expect(text).toContain('Status: Finalised');
    expect(text).toContain('Contents');

    const frozen = (await api.get(`/api/versions/${version.id}`)).body.sections as { title: string; text: string }[];
    for (const section of frozen) {
      expect(text).toContain(section.title);
      for (const line of textLines(section.text)) expect(text, `${section.title}: ${line}`).toContain(line);
    }

    expect(text).toContain('Signatory organisations');
    expect(text).toContain('41 organisations from 8 countries');
    for (const country of ['Kenya', 'Cambodia', 'Uganda', 'Ethiopia', 'Thailand', 'Mexico', 'India', 'Indonesia']) expect(text).toContain(country);
    for (const org of orgs.slice(0, 40)) expect(text).toContain(org.name);
    expect(text).not.toContain(orgs[40]!.name);
    expect(text).not.toContain('Withdrawn Before Export');
    expect(text).not.toMatch(/@[a-z0-9-]+\.example\.org/);
    // Grouped: Thailand's organisations come after the Thailand heading and before the next country's.
    const thailand = text.indexOf('Thailand');
    const uganda = text.indexOf('Uganda', thailand);
    expect(thailand).toBeGreaterThan(text.indexOf('Signatory organisations'));
    expect(text.indexOf('MAP Foundation')).toBeGreaterThan(thailand);
    expect(text.indexOf('MAP Foundation')).toBeLessThan(uganda);
    expect(text).toMatch(/1 organisation from \w+ that asked not to be listed by name/);

    // Formatting survives as real structure: links, bold, italic, ordered and nested lists, restarts.
    const { value: html } = await mammoth.convertToHtml({ buffer: res.bytes });
    expect(html).toContain('<a href="https://www.ohchr.org/en/trafficking">the UN principles</a>');
    expect(html).toContain('<strong>free legal aid</strong>');
    expect(html).toContain('<em>compensation</em>');
    // (mammoth joins neighbouring lists into one; restarts are checked in the XML by server/src/export/docx.test.ts)
    expect(html).toMatch(/<ol><li>Third commitment<ul><li>Nested detail A<\/li><li>Nested detail B<\/li><\/ul><\/li><li>Fourth commitment<\/li>/);
    expect(html).toContain('<li>A list that starts again</li>');
    expect(html).toMatch(/<ul><li>[^<]*The rights, safety and dignity/);
    expect(html).toContain('<h1>Access to justice</h1>');

    // An export is in the audit trail, anonymous when nobody signed in.
    const audit = (await api.get(`/api/charters/${charter.id}/audit?action=version.exported`)).body.events;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: null, action: 'version.exported', details: { versionId: version.id, signonCount: 41 } });
    await fetchBytes(server.url, `/api/versions/${version.id}/export.docx`, api.token);
    const again = (await api.get(`/api/charters/${charter.id}/audit?action=version.exported`)).body.events;
    expect(again[1].actor).toEqual({ id: user.id, name: user.name });

    const pdfBytes = convertToPdf(res.bytes);
    if (pdfBytes !== undefined) expect(pdfBytes).toBeGreaterThan(1000);
  });

  it('keeps hostile text as data: markup, ampersands, control characters and lone surrogates cannot break the file', async () => {
    const { api, charter } = await charterWithSecretariat(server.url);
    const hostileTitle = 'Hostile <w:p><w:r><w:t>x</w:t></w:r></w:p> & "quotes" \u0001\u000B\u001F\u007F ]]> { MERGEFIELD x }';
    const added = await api.post(`/api/charters/${charter.id}/sections`, { title: hostileTitle });
    expect(added.status).toBe(201);
    // A lone surrogate never gets into a title (refused at the edge); in content it is dropped on export.
    const lone = await api.request('POST', `/api/charters/${charter.id}/sections`, '{"title":"lone \\ud800 surrogate"}');
    expect(lone.status).toBe(400);
    appendParagraphs(server, added.body.section.id, [
      '</w:t></w:r></w:p><w:p><w:r><w:t>injected',
      'Ampersands & entities &amp; &#0; <![CDATA[x]]>',
      'Controls \u0002\u0003\u0008\u000C\uFFFE\uFFFF and a lone surrogate \uD83D here',
      '{ DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe }',
    ]);
    const fin = await api.post(`/api/charters/${charter.id}/finalise`);
    const version = fin.body.version;
    const signer = await account(server, 'signer');
    await signer.api.post(`/api/versions/${version.id}/signons`, {
      organisation: { name: '<w:tbl> & Co \u0007', country: 'KE', acronym: '&amp;' },
      signatory: { name: 'Eve </w:t>', title: '"Director"\u0001', email: 'eve@example.org' },
      consent: true,
    });

    const res = await fetchBytes(server.url, `/api/versions/${version.id}/export.docx`);
    expect(res.status).toBe(200);
    const { value: text } = await mammoth.extractRawText({ buffer: res.bytes });
    expect(text).toContain('Hostile <w:p><w:r><w:t>x</w:t></w:r></w:p> & "quotes"');
    expect(text).toContain('</w:t></w:r></w:p><w:p><w:r><w:t>injected');
    expect(text).toContain('Ampersands & entities &amp; &#0; <![CDATA[x]]>');
    expect(text).toContain('{ DDEAUTO');
    expect(text).toContain('<w:tbl> & Co');
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    expect(text).not.toMatch(/[\u0001-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);

    const pdfBytes = convertToPdf(res.bytes);
    if (pdfBytes !== undefined) expect(pdfBytes).toBeGreaterThan(1000);
  });

  it('exports a version with no sign-ons, and refuses unknown versions', async () => {
    const { version } = await finalisedCharter(server);
    const res = await fetchBytes(server.url, `/api/versions/${version.id}/export.docx`);
    expect(res.status).toBe(200);
    const { value: text } = await mammoth.extractRawText({ buffer: res.bytes });
    expect(text).toContain('No organisation has signed on to this version yet.');
    const unknown = await new Api(server.url).get('/api/versions/unknown-version/export.docx');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });

  it('says on the title page when a later version superseded this one', async () => {
    const { api, charter, version } = await finalisedCharter(server);
    await api.post(`/api/charters/${charter.id}/reopen`);
    let text = (await mammoth.extractRawText({ buffer: (await fetchBytes(server.url, `/api/versions/${version.id}/export.docx`)).bytes })).value;
    expect(text).toContain('reopened for drafting');
    await api.post(`/api/charters/${charter.id}/finalise`);
    text = (await mammoth.extractRawText({ buffer: (await fetchBytes(server.url, `/api/versions/${version.id}/export.docx`)).bytes })).value;
    expect(text).toContain('superseded by version 2');
  });

  it('answers 503 with Retry-After, and records nothing, when a document cannot be rendered now', async () => {
    const { api, charter, version } = await finalisedCharter(server);
    const auditBefore = (await api.get(`/api/charters/${charter.id}/audit`)).body.events.length;
    // A real renderer that lets nothing wait: busy the moment one export is rendering.
    const original = server.ctx.docx;
    const busy = new DocxRenderer({ maxHeapMb: 160, maxQueued: 0 });
    server.ctx.docx = busy;
    try {
      const exported = await new Api(server.url).get(`/api/versions/${version.id}/export.docx`);
      expect(exported.status).toBe(503);
      expect(exported.headers.get('retry-after')).toBe('5');
      expect(exported.body.error.code).toBe('export_busy');
      expect(exported.body.error.message).toMatch(/try again/i);
      const submitted = await api.post(`/api/versions/${version.id}/submissions`, { recipient: 'IGAD Secretariat' });
      expect(submitted.status).toBe(503);
      expect(submitted.body.error.code).toBe('export_busy');
    } finally {
      server.ctx.docx = original;
      await busy.close();
    }
    expect((await api.get(`/api/charters/${charter.id}/audit`)).body.events.length).toBe(auditBefore);
    expect((await api.get(`/api/charters/${charter.id}/submissions`)).body.submissions).toEqual([]);
    // And with the usual renderer back, the same export works.
    expect((await fetchBytes(server.url, `/api/versions/${version.id}/export.docx`)).status).toBe(200);
  });
});
