import { COUNTRY_CODES } from '@charter/shared/countries';
import type { HttpClient, HttpResponse } from './http.js';

/** Forty real ISO codes, cycled through so organisations come from many countries. */
export const BENCH_COUNTRIES = ['KE', 'ET', 'TH', 'UG', 'TZ', 'RW', 'NG', 'GH', 'SN', 'ZA', 'IN', 'BD', 'NP', 'PK', 'LK', 'PH', 'ID', 'VN', 'KH', 'MM', 'BR', 'AR', 'CO', 'PE', 'MX', 'GT', 'FR', 'DE', 'ES', 'IT', 'GB', 'SE', 'NO', 'JO', 'LB', 'EG', 'MA', 'TN', 'TR', 'UA'].filter(
  (c) => (COUNTRY_CODES as readonly string[]).includes(c),
);

/** The body of sign-on number `i` (distinct organisation name; about one in ten unlisted). */
export function signonBody(i: number, tag: string) {
  return {
    organisation: { name: `Bench Organisation ${tag} ${String(i).padStart(5, '0')}`, country: BENCH_COUNTRIES[i % BENCH_COUNTRIES.length]!, acronym: `BO${i}` },
    signatory: { name: `Signatory ${i}`, title: 'Director', email: `signatory-${tag}-${i}@bench.example.org` },
    consent: true,
    publicListing: i % 10 !== 7,
  };
}

export const postSignon = (http: HttpClient, versionId: string, body: unknown): Promise<HttpResponse> =>
  http.request('POST', `/api/versions/${encodeURIComponent(versionId)}/signons`, body);
