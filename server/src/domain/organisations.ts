import type { Store } from '../db/index.js';
import type { OrganisationRow } from '../db/statements.js';
import { newId, nowIso } from '../ids.js';

/** The key two organisation names are compared by: case, surrounding and repeated spaces ignored. */
export function organisationKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('en');
}

export interface OrganisationInput {
  name: string;
  country: string;
  acronym?: string | undefined;
  website?: string | undefined;
}

/** The organisation with this name and country, created on first mention. */
export function findOrCreateOrganisation(store: Store, input: OrganisationInput): OrganisationRow {
  const key = organisationKey(input.name);
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
