import { countryName, type Signon, type SignonBody, type SignonList, type WithheldSignon } from '@charter/shared';
import type { AppContext } from '../context.js';
import type { SignonRow, UserRow, VersionRow } from '../db/statements.js';
import { conflict, forbidden, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { getMembership } from './access.js';
import { recordAudit } from './audit.js';
import { findOrCreateOrganisation, organisationKey } from './organisations.js';

/** A sign-on in full, minus the e-mail address: for its signer, the secretariat and the public list when listed. */
export function presentSignon(row: SignonRow): Signon {
  return {
    id: row.id,
    versionId: row.version_id,
    organisation: { id: row.organisation_id, name: row.org_name, acronym: row.org_acronym, country: row.country, website: row.org_website },
    signatory: { name: row.signatory_name, title: row.signatory_title },
    signedAt: row.signed_at,
    publicListing: row.public_listing === 1,
    withdrawnAt: row.withdrawn_at,
  };
}

/** An unlisted sign-on as the public sees it: its country and time, nothing that names anyone. */
export function presentWithheldSignon(row: SignonRow): WithheldSignon {
  return {
    id: row.id,
    versionId: row.version_id,
    organisation: { id: null, name: null, acronym: null, country: row.country, website: null },
    signatory: { name: null, title: null },
    signedAt: row.signed_at,
    publicListing: false,
    withheld: true,
    withdrawnAt: null,
  };
}

const byName = (a: SignonRow, b: SignonRow) =>
  a.org_name.localeCompare(b.org_name, 'en', { sensitivity: 'base' }) || a.signed_at.localeCompare(b.signed_at);

/** Live sign-ons grouped by country (countries by code, listed organisations by name, then the unlisted ones). */
export function groupSignons(rows: SignonRow[]): { country: string; listed: SignonRow[]; unlisted: SignonRow[] }[] {
  const groups = new Map<string, { country: string; listed: SignonRow[]; unlisted: SignonRow[] }>();
  for (const row of rows) {
    let g = groups.get(row.country);
    if (!g) groups.set(row.country, (g = { country: row.country, listed: [], unlisted: [] }));
    (row.public_listing ? g.listed : g.unlisted).push(row);
  }
  return [...groups.values()]
    .sort((a, b) => a.country.localeCompare(b.country))
    .map((g) => ({ ...g, listed: g.listed.sort(byName) }));
}

/** The public list of a version's live sign-ons: no e-mail addresses, unlisted organisations counted but not named. */
export function publicSignonList(ctx: AppContext, versionId: string): SignonList {
  const rows = ctx.store.q.signons.liveForVersion(versionId);
  const groups = groupSignons(rows);
  return {
    total: rows.length,
    countries: groups.length,
    byCountry: groups.map((g) => ({
      country: g.country,
      countryName: countryName(g.country),
      count: g.listed.length + g.unlisted.length,
      unlisted: g.unlisted.length,
      signons: [...g.listed.map(presentSignon), ...g.unlisted.map(presentWithheldSignon)],
    })),
  };
}

const alreadySigned = () =>
  conflict('already_signed', 'This organisation has already signed on to this version. Each organisation signs once per version.');

const isUniqueViolation = (err: unknown) => (err as { code?: unknown })?.code === 'SQLITE_CONSTRAINT_UNIQUE';

/**
 * Records an organisation's sign-on to a version, against the version's hash. One live sign-on
 * per organisation (name compared by {@link organisationKey}, and country) and version: the
 * partial unique index enforces it, so simultaneous requests cannot both land.
 */
export async function createSignon(ctx: AppContext, user: UserRow, version: VersionRow, body: SignonBody): Promise<Signon> {
  const { q } = ctx.store;
  const nameKey = organisationKey(body.organisation.name);
  const country = body.organisation.country;
  try {
    // Sign-ons come in bursts (a room signing at once): they share commits (group commit).
    const row = await ctx.store.txGrouped(() => {
      if (q.signons.liveByKey(version.id, nameKey, country)) throw alreadySigned();
      const org = findOrCreateOrganisation(
        ctx.store,
        { name: body.organisation.name, country, acronym: body.organisation.acronym, website: body.organisation.website },
        nameKey,
      );
      const row: SignonRow = {
        id: newId(),
        version_id: version.id,
        charter_id: version.charter_id,
        version_sha256: version.sha256,
        organisation_id: org.id,
        org_name: body.organisation.name.replace(/\s+/gu, ' '),
        org_name_key: nameKey,
        org_acronym: body.organisation.acronym,
        org_website: body.organisation.website,
        country,
        signatory_name: body.signatory.name,
        signatory_title: body.signatory.title,
        signatory_email: body.signatory.email,
        public_listing: body.publicListing ? 1 : 0,
        account_id: user.id,
        signed_at: nowIso(),
        withdrawn_at: null,
        withdrawn_by: null,
      };
      q.signons.insert(row);
      recordAudit(ctx.store, version.charter_id, user, 'signon.created', row.org_name, {
        signonId: row.id,
        versionId: version.id,
        versionNumber: version.number,
        versionSha256: version.sha256,
        organisationId: org.id,
        country,
        publicListing: body.publicListing,
      });
      return row;
    });
    return presentSignon(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw alreadySigned();
    throw err;
  }
}

/** The sign-on `signonId` of this version, or a 404. */
export function requireSignon(ctx: AppContext, version: VersionRow, signonId: string): SignonRow {
  const row = ctx.store.q.signons.byId(signonId);
  if (!row || row.version_id !== version.id) throw notFound('This sign-on');
  return row;
}

/**
 * Withdraws a sign-on: the row stays (marked with time and actor) but leaves lists and exports.
 * Allowed to the account that signed and to the charter's secretariat; a second withdrawal is a
 * 409 `withdrawn`.
 */
export function withdrawSignon(ctx: AppContext, user: UserRow, version: VersionRow, signonId: string): Signon {
  const { q } = ctx.store;
  const row = requireSignon(ctx, version, signonId);
  const isSigner = row.account_id === user.id;
  const isSecretariat = getMembership(ctx, version.charter_id, user.id)?.role === 'secretariat';
  if (!isSigner && !isSecretariat) {
    throw forbidden('Only the account that signed on, or the secretariat of this charter, can withdraw this sign-on.');
  }
  return ctx.store.tx(() => {
    const now = nowIso();
    const changed = q.signons.withdraw(now, user.id, row.id).changes;
    if (!changed) throw conflict('withdrawn', 'This sign-on has already been withdrawn.');
    recordAudit(ctx.store, version.charter_id, user, 'signon.withdrawn', row.org_name, {
      signonId: row.id,
      versionId: version.id,
      versionNumber: version.number,
      country: row.country,
      by: isSigner ? 'signer' : 'secretariat',
    });
    return presentSignon(q.signons.byId(row.id)!);
  });
}

/**
 * One CSV cell (RFC 4180): a cell a spreadsheet would read as a formula (starting with `=`, `+`,
 * `-`, `@`, tab or carriage return) gets a leading apostrophe; a cell holding a quote, comma or
 * line break is quoted, with quotes doubled.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/u.test(s)) s = `'${s}`;
  return /[",\r\n]/u.test(s) ? `"${s.replace(/"/gu, '""')}"` : s;
}

export const SIGNON_CSV_COLUMNS = [
  'signon_id',
  'signed_at',
  'organisation',
  'acronym',
  'country',
  'country_name',
  'website',
  'signatory_name',
  'signatory_title',
  'signatory_email',
  'public_listing',
  'version_number',
  'version_sha256',
] as const;

/** Every live sign-on of a version, with e-mail addresses, as CSV (CRLF line ends). For the secretariat only. */
export function signonsCsv(ctx: AppContext, user: UserRow, version: VersionRow): string {
  const rows = ctx.store.q.signons.liveForVersion(version.id);
  const lines = [SIGNON_CSV_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(
      [
        r.id,
        r.signed_at,
        r.org_name,
        r.org_acronym,
        r.country,
        countryName(r.country),
        r.org_website,
        r.signatory_name,
        r.signatory_title,
        r.signatory_email,
        r.public_listing ? 'yes' : 'no',
        version.number,
        r.version_sha256,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  recordAudit(ctx.store, version.charter_id, user, 'signons.exported', `Version ${version.number}`, {
    versionId: version.id,
    format: 'csv',
    rows: rows.length,
  });
  return lines.join('\r\n') + '\r\n';
}
