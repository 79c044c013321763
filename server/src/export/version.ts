import { countryName } from '@charter/shared';
import type { JSONContent } from '@charter/shared/editor';
import type { AppContext } from '../context.js';
import type { VersionRow } from '../db/statements.js';
import { recordAudit, type Actor } from '../domain/audit.js';
import { groupSignons } from '../domain/signons.js';
import { sha256Hex } from '../ids.js';
import type { CharterDocxInput } from './docx.js';

/** The title page's status line: finalised, and whether a later version or a reopening followed. */
function statusLine(ctx: AppContext, version: VersionRow): string {
  const latest = ctx.store.q.versions.latestNumber(version.charter_id)?.n ?? version.number;
  if (latest > version.number) return `Finalised; superseded by version ${latest}`;
  if (ctx.store.q.charters.byId(version.charter_id)?.status === 'drafting') {
    return 'Finalised; the charter has since been reopened for drafting';
  }
  return 'Finalised';
}

/**
 * Everything the document of a version shows, read from storage in one go: the frozen sections
 * and the live sign-ons (unlisted ones only counted; e-mail addresses never included).
 */
export function versionDocxInput(ctx: AppContext, version: VersionRow, origin?: string): CharterDocxInput & { signonCount: number } {
  const signons = ctx.store.q.signons.liveForVersion(version.id);
  const groups = groupSignons(signons)
    .map((g) => ({
      country: g.country,
      countryName: countryName(g.country),
      listed: g.listed.map((s) => ({
        organisation: s.org_name,
        acronym: s.org_acronym,
        signatory: s.signatory_name,
        title: s.signatory_title,
        signedAt: s.signed_at,
      })),
      unlisted: g.unlisted.length,
    }))
    .sort((a, b) => a.countryName.localeCompare(b.countryName, 'en'));
  return {
    title: version.title,
    versionId: version.id,
    versionNumber: version.number,
    label: version.label,
    finalisedAt: version.created_at,
    status: statusLine(ctx, version),
    sha256: version.sha256,
    url: origin ? `${origin}/versions/${encodeURIComponent(version.id)}` : undefined,
    sections: ctx.store.q.versions.sections(version.id).map((s) => ({ title: s.title, doc: JSON.parse(s.doc) as JSONContent })),
    signatories: groups,
    signonCount: signons.length,
  };
}

/**
 * A version's DOCX as it stands now (the current sign-ons), with its SHA-256 and the sign-on
 * count. Rendered on the export worker, so the server goes on answering meanwhile.
 */
export async function buildVersionDocx(ctx: AppContext, version: VersionRow, origin?: string) {
  const { signonCount, ...input } = versionDocxInput(ctx, version, origin);
  const bytes = await ctx.docx.render(input);
  return { bytes, sha256: sha256Hex(bytes), signonCount };
}

/** Exports a version for download and records it in the charter's audit trail (the actor may be anonymous). */
export async function exportVersionDocx(ctx: AppContext, version: VersionRow, actor: Actor | null, origin?: string) {
  const result = await buildVersionDocx(ctx, version, origin);
  recordAudit(ctx.store, version.charter_id, actor, 'version.exported', `Version ${version.number}`, {
    versionId: version.id,
    number: version.number,
    format: 'docx',
    bytes: result.bytes.byteLength,
    docxSha256: result.sha256,
    signonCount: result.signonCount,
  });
  return result;
}

/** A file name for a version's document: ASCII, from the title, such as `regional-principles-v1.docx`. */
export function versionFileName(version: VersionRow): string {
  const slug = version.title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/gu, '-')
    .replace(/^-+|-+$/gu, '')
    .slice(0, 60)
    .replace(/-+$/gu, '');
  return `${slug || 'charter'}-v${version.number}.docx`;
}
