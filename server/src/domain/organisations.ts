import type { Store } from '../db/index.js';
import type { OrganisationRow } from '../db/statements.js';
import { newId, nowIso } from '../ids.js';

/** The key two organisation names are compared by: case, surrounding and repeated spaces ignored. */
export function organisationKey(name: string): string {
  // toLowerCase() is the English (root locale) mapping, without toLocaleLowerCase's per-call locale lookup.
  return name.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

export interface OrganisationInput {
  name: string;
  country: string;
  acronym?: string | undefined;
  website?: string | undefined;
}

/** The organisation with this name and country, created on first mention (`key`: the name's {@link organisationKey}, when the caller has it). */
export function findOrCreateOrganisation(store: Store, input: OrganisationInput, key = organisationKey(input.name)): OrganisationRow {
  const existing = store.q.organisations.byKey(key, input.country);
  if (existing) return existing;
  const row: OrganisationRow = {
    id: newId(),
    name: input.name.trim().replace(/\s+/gu, ' '),
    name_key: key,
    acronym: input.acronym?.trim() ?? '',
    country: input.country,
    website: input.website?.trim() ?? '',
    created_at: nowIso(),
  };
  store.q.organisations.insert(row);
  return row;
}
