import type { DiffPart, SectionChange, Version, VersionComparison, VersionDetail, VersionSection } from '@charter/shared';
import type { JSONContent } from '@charter/shared/editor';
import type { AppContext } from '../context.js';
import type { CharterRow, UserRow, VersionRow, VersionSectionRow } from '../db/statements.js';
import { conflict, notFound, validationError } from '../errors.js';
import { newId, nowIso, sha256Hex } from '../ids.js';
import { readStoredSectionContent } from '../collab/content.js';
import { getMembership } from './access.js';
import { recordAudit } from './audit.js';
import { presentCharter } from './charters.js';
import { diffText } from './text-diff.js';

/**
 * The canonical serialisation every version hash is computed over: JSON with the keys of every
 * object sorted (by UTF-16 code units, recursively), no whitespace, arrays kept in order, strings
 * and numbers written as `JSON.stringify` writes them, `undefined` members left out. For the JSON
 * values stored here this is the JSON Canonicalization Scheme (RFC 8785), so anyone can recompute
 * a hash with a stock JCS library.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/** What a version's hash covers: the charter title and every section in order. Not the number, label or time. */
export interface VersionContent {
  title: string;
  sections: { key: string; title: string; doc: JSONContent; text: string }[];
}

/**
 * The hex SHA-256 of a version's content: over the UTF-8 bytes of
 * `canonicalJson({format: "charter-version/1", title, sections: [{key, title, doc, text}, …]})`
 * with sections in their order. Two versions with the same words and formatting share a hash.
 */
export function versionContentHash(content: VersionContent): string {
  return sha256Hex(
    canonicalJson({
      format: 'charter-version/1',
      title: content.title,
      sections: content.sections.map((s) => ({ key: s.key, title: s.title, doc: s.doc, text: s.text })),
    }),
  );
}

export function presentVersion(row: VersionRow): Version {
  return { id: row.id, charterId: row.charter_id, number: row.number, label: row.label, sha256: row.sha256, createdAt: row.created_at };
}

function presentVersionSection(row: VersionSectionRow): VersionSection {
  return { key: row.key, title: row.title, position: row.position, doc: JSON.parse(row.doc) as JSONContent, text: row.text };
}

/** The version with this id, or a 404. */
export function requireVersion(ctx: AppContext, versionId: string): VersionRow {
  const row = ctx.store.q.versions.byId(versionId);
  if (!row) throw notFound('This version');
  return row;
}

/**
 * Freezes the current text of every section as the charter's next version and marks the charter
 * finalised, in one transaction: each section is read from storage (where every accepted live
 * update is written before it is relayed), so the version is exactly what editors had. Live
 * connections are told to become read-only as soon as the transaction commits.
 */
export function finaliseCharter(ctx: AppContext, user: UserRow, charterId: string, label: string | null): Version {
  const { q } = ctx.store;
  const version = ctx.store.tx(() => {
    const charter = q.charters.byId(charterId);
    if (!charter) throw notFound('This charter');
    if (charter.status === 'finalised') {
      throw conflict('already_finalised', 'This charter is already finalised. Reopen it before finalising a new version.');
    }
    const sections = q.sections.forCharter(charterId).map((s) => {
      const { doc, text } = readStoredSectionContent(ctx.store, s.id);
      return { sectionId: s.id, key: s.key, title: s.title, doc, text };
    });
    const now = nowIso();
    const row: VersionRow = {
      id: newId(),
      charter_id: charterId,
      number: (q.versions.latestNumber(charterId)?.n ?? 0) + 1,
      label: label || null,
      title: charter.title,
      sha256: versionContentHash({ title: charter.title, sections }),
      created_by: user.id,
      created_at: now,
    };
    q.versions.insert(row);
    sections.forEach((s, position) =>
      q.versions.insertSection({
        version_id: row.id,
        position,
        section_id: s.sectionId,
        key: s.key,
        title: s.title,
        doc: canonicalJson(s.doc),
        text: s.text,
      }),
    );
    q.charters.setStatus('finalised', now, charterId);
    recordAudit(ctx.store, charterId, user, 'charter.finalised', `Version ${row.number}`, {
      versionId: row.id,
      number: row.number,
      label: row.label,
      sha256: row.sha256,
      sections: sections.length,
    });
    return row;
  });
  ctx.bus.emit('accessChanged', charterId);
  return presentVersion(version);
}

/** Returns a finalised charter to drafting. Its versions and their sign-ons stay as they are. */
export function reopenCharter(ctx: AppContext, user: UserRow, charterId: string) {
  const { q } = ctx.store;
  const charter = ctx.store.tx(() => {
    const row = q.charters.byId(charterId);
    if (!row) throw notFound('This charter');
    if (row.status !== 'finalised') throw conflict('not_finalised', 'This charter is being drafted already; there is nothing to reopen.');
    const now = nowIso();
    q.charters.setStatus('drafting', now, charterId);
    const latest = q.versions.latestNumber(charterId)?.n ?? null;
    recordAudit(ctx.store, charterId, user, 'charter.reopened', row.title, { afterVersion: latest });
    return { ...row, status: 'drafting', updated_at: now } satisfies CharterRow;
  });
  ctx.bus.emit('accessChanged', charterId);
  return presentCharter(ctx, charter, getMembership(ctx, charterId, user.id)!);
}

/** A charter's versions, oldest first, each with its count of live sign-ons. */
export function listVersions(ctx: AppContext, charterId: string) {
  return ctx.store.q.versions
    .forCharter(charterId)
    .map((row) => ({ ...presentVersion(row), signonCount: ctx.store.q.signons.liveCount(row.id)!.n }));
}

/** A version with its frozen sections (public: anyone with the id may read it). */
export function versionDetail(ctx: AppContext, row: VersionRow): VersionDetail {
  return {
    version: presentVersion(row),
    // The title as it was frozen, which the hash covers; the charter may have been renamed since.
    charter: { id: row.charter_id, title: row.title },
    sections: ctx.store.q.versions.sections(row.id).map(presentVersionSection),
  };
}

/** Recomputes the hash from the stored rows: `ok` when it still matches the hash recorded at finalising. */
export function verifyVersion(ctx: Pick<AppContext, 'store'>, row: VersionRow): { ok: boolean; sha256: string; recorded: string } {
  const sections = ctx.store.q.versions.sections(row.id).map(presentVersionSection);
  const sha256 = versionContentHash({ title: row.title, sections });
  return { ok: sha256 === row.sha256, sha256, recorded: row.sha256 };
}

/**
 * What changed from version `fromRow` to `toRow` of the same charter, section by section (matched
 * by key): added, removed, changed (with a word-level diff of the plain text) or unchanged.
 */
export function compareVersions(ctx: AppContext, fromRow: VersionRow, toRow: VersionRow): VersionComparison {
  if (fromRow.charter_id !== toRow.charter_id) {
    throw validationError('Both versions must belong to the same charter.', {
      fields: { otherVersionId: 'A version of another charter.' },
    });
  }
  const from = ctx.store.q.versions.sections(fromRow.id).map(presentVersionSection);
  const to = ctx.store.q.versions.sections(toRow.id).map(presentVersionSection);
  const fromByKey = new Map(from.map((s) => [s.key, s]));
  const toKeys = new Set(to.map((s) => s.key));
  const summary: Record<SectionChange, number> = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  const sections: VersionComparison['sections'] = [];
  const push = (key: string, change: SectionChange, a: VersionSection | undefined, b: VersionSection | undefined, diff: DiffPart[]) => {
    summary[change]++;
    const formattingOnly = change === 'changed' && a!.text === b!.text && a!.title === b!.title;
    sections.push({ key, change, title: { from: a?.title ?? null, to: b?.title ?? null }, formattingOnly, diff });
  };
  // Removed sections appear where they stood, just before the section that followed them.
  let fromIndex = 0;
  const flushRemovedUpTo = (stop: number) => {
    for (; fromIndex < stop; fromIndex++) {
      const s = from[fromIndex]!;
      if (!toKeys.has(s.key)) push(s.key, 'removed', s, undefined, s.text ? [{ op: 'delete', text: s.text }] : []);
    }
  };
  for (const b of to) {
    const a = fromByKey.get(b.key);
    if (!a) {
      push(b.key, 'added', undefined, b, b.text ? [{ op: 'insert', text: b.text }] : []);
      continue;
    }
    flushRemovedUpTo(from.indexOf(a) + 1);
    const same = a.title === b.title && a.text === b.text && canonicalJson(a.doc) === canonicalJson(b.doc);
    push(b.key, same ? 'unchanged' : 'changed', a, b, same || a.text === b.text ? [] : diffText(a.text, b.text));
  }
  flushRemovedUpTo(from.length);
  return { from: presentVersion(fromRow), to: presentVersion(toRow), summary, sections };
}
