/** Helpers shared by the versions, sign-ons, export, submissions and audit tests. */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { Api, charterWithSecretariat, uniqueEmail, type TestServer } from '../helpers/server.js';
import { appendSectionUpdate, readSectionState } from '../../server/src/collab/persistence.js';

export const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** Writes paragraphs at the end of a section's stored document, as an accepted live edit would. */
export function appendParagraphs(server: TestServer, sectionId: string, paragraphs: string[]): void {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, readSectionState(server.ctx.store, sectionId));
  const before = Y.encodeStateVector(ydoc);
  const fragment = ydoc.getXmlFragment('content');
  fragment.insert(
    fragment.length,
    paragraphs.map((text) => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(text)]);
      return p;
    }),
  );
  appendSectionUpdate(server.ctx.store, sectionId, Y.encodeStateAsUpdate(ydoc, before));
  ydoc.destroy();
}

/** A run of text with marks, as y-prosemirror stores it: mark name → mark attributes. */
export type Run = [text: string, marks?: Record<string, Record<string, unknown>>];

/**
 * Appends blocks with formatting to a section's stored document: `p` paragraphs of runs, an
 * ordered list (with `start`) of items whose second element may be a nested bullet list.
 */
export function appendRich(
  server: TestServer,
  sectionId: string,
  blocks: ({ p: Run[] } | { ol: { start?: number; items: { text: string; nested?: string[] }[] } } | { quote: string })[],
): void {
  const ydoc = new Y.Doc();
  Y.applyUpdate(ydoc, readSectionState(server.ctx.store, sectionId));
  const before = Y.encodeStateVector(ydoc);
  const fragment = ydoc.getXmlFragment('content');
  const paragraph = (runs: Run[]) => {
    const p = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    p.insert(0, [text]);
    // Runs are inserted once the element is in the document (y-prosemirror's own order).
    return { p, fill: () => runs.reduce((at, [t, marks]) => (text.insert(at, t, marks ?? {}), at + t.length), 0) };
  };
  const fills: (() => unknown)[] = [];
  const nodes = blocks.map((block) => {
    if ('p' in block) {
      const { p, fill } = paragraph(block.p);
      fills.push(fill);
      return p;
    }
    if ('quote' in block) {
      const q = new Y.XmlElement('blockquote');
      const { p, fill } = paragraph([[block.quote]]);
      q.insert(0, [p]);
      fills.push(fill);
      return q;
    }
    const ol = new Y.XmlElement('orderedList');
    ol.setAttribute('start', block.ol.start ?? 1 as any);
    ol.insert(
      0,
      block.ol.items.map((item) => {
        const li = new Y.XmlElement('listItem');
        const { p, fill } = paragraph([[item.text]]);
        fills.push(fill);
        const children: Y.XmlElement[] = [p];
        if (item.nested) {
          const ul = new Y.XmlElement('bulletList');
          ul.insert(
            0,
            item.nested.map((t) => {
              const nli = new Y.XmlElement('listItem');
              const np = paragraph([[t]]);
              fills.push(np.fill);
              nli.insert(0, [np.p]);
              return nli;
            }),
          );
          children.push(ul);
        }
        li.insert(0, children);
        return li;
      }),
    );
    return ol;
  });
  ydoc.transact(() => {
    fragment.insert(fragment.length, nodes);
    for (const fill of fills) fill();
  });
  appendSectionUpdate(server.ctx.store, sectionId, Y.encodeStateAsUpdate(ydoc, before));
  ydoc.destroy();
}

/** A charter made from the principles-of-practice template, finalised as version 1. */
export async function finalisedCharter(server: TestServer, label?: string) {
  const setup = await charterWithSecretariat(server.url);
  const res = await setup.api.post(`/api/charters/${setup.charter.id}/finalise`, label ? { label } : {});
  if (res.status !== 201) throw new Error(`finalise: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...setup, version: res.body.version as { id: string; number: number; sha256: string; charterId: string; label: string | null } };
}

/** A new signed-in account. */
export async function account(server: TestServer, label = 'user', name?: string) {
  const api = new Api(server.url);
  const user = await api.register(uniqueEmail(label), name);
  return { api, user };
}

export interface OrgInput {
  name: string;
  country: string;
  acronym?: string;
}

/** A valid sign-on body for an organisation. */
export function signonBody(org: OrgInput, extra: Record<string, unknown> = {}) {
  const slug = org.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 30) || 'org';
  return {
    organisation: { name: org.name, country: org.country, ...(org.acronym ? { acronym: org.acronym } : {}) },
    signatory: { name: `Director of ${org.name}`.slice(0, 200), title: 'Executive Director', email: `director@${slug}.example.org` },
    consent: true,
    ...extra,
  };
}

/** GETs a binary response. */
export async function fetchBytes(baseUrl: string, path: string, token?: string) {
  const res = await fetch(baseUrl + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes };
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF line ends). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      // the \n ends the row
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Organisations of the regional forum fixture (../shared/fixtures/forum.json), enough for the tests. */
export const FORUM_ORGS: OrgInput[] = [
  { name: 'Awareness Against Human Trafficking', acronym: 'HAART', country: 'KE' },
  { name: 'Chab Dai Coalition', acronym: 'Chab Dai', country: 'KH' },
  { name: 'Willow International', country: 'UG' },
  { name: 'Platform for Labour Action', acronym: 'PLA', country: 'UG' },
  { name: 'Organization for Prevention, Rehabilitation and Integration of Female Street Children', acronym: 'OPRIFS', country: 'ET' },
  { name: 'MAP Foundation', acronym: 'MAP', country: 'TH' },
  { name: 'Life Skills Development Foundation', acronym: 'LSDF', country: 'TH' },
  { name: 'Foundation for Labour and Employment Promotion', acronym: 'FLEP', country: 'TH' },
  { name: 'Foundation for Education and Development', acronym: 'FED', country: 'TH' },
  { name: 'Global Alliance Against Traffic in Women', acronym: 'GAATW-IS', country: 'TH' },
  { name: 'Instituto para las Mujeres en la Migración', acronym: 'IMUMI', country: 'MX' },
  { name: 'Srijan Foundation / Jharkhand Anti-Trafficking Network', acronym: 'JATN', country: 'IN' },
  { name: 'Yayasan Annisa Swasti', acronym: 'Yasanti', country: 'ID' },
  { name: 'Legal Resources Center untuk Keadilan Jender dan Hak Asasi Manusia', acronym: 'LRC-KJHAM', country: 'ID' },
];

/** 41 organisations from 8 countries, like the 2018 regional forum: the fixture's, then numbered members. */
export function forumOf41(): OrgInput[] {
  const countries = ['KE', 'KH', 'UG', 'ET', 'TH', 'MX', 'IN', 'ID'];
  const orgs = [...FORUM_ORGS];
  for (let i = orgs.length; i < 41; i++) orgs.push({ name: `Forum member organisation ${i + 1}`, country: countries[i % countries.length]! });
  return orgs;
}
