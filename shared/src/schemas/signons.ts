import { z } from 'zod';
import { countrySchema, emailSchema, optionalText, text, websiteSchema } from './common.js';

/** `POST /api/versions/:versionId/signons` */
export const signonBody = z.object({
  organisation: z.object({
    name: text(300),
    country: countrySchema,
    acronym: optionalText(50),
    website: websiteSchema,
  }),
  signatory: z.object({
    name: text(200),
    title: text(200),
    email: emailSchema,
  }),
  consent: z.literal(true, { error: 'Consent is required: set consent to true to sign on.' }),
  /** `false`: counted in the totals, but the organisation and signatory are not named in public. */
  publicListing: z.boolean().optional().default(true),
});
export type SignonBody = z.infer<typeof signonBody>;

/** A sign-on as its signer, the secretariat and (when listed) the public see it. Never carries an e-mail. */
export interface Signon {
  id: string;
  versionId: string;
  organisation: { id: string; name: string; acronym: string; country: string; website: string };
  signatory: { name: string; title: string };
  signedAt: string;
  publicListing: boolean;
  /** When it was withdrawn; null while it stands. */
  withdrawnAt: string | null;
}

/**
 * A sign-on that asked not to be listed, as the public list shows it: counted and placed in its
 * country, with the organisation and signatory withheld.
 */
export interface WithheldSignon {
  id: string;
  versionId: string;
  organisation: { id: null; name: null; acronym: null; country: string; website: null };
  signatory: { name: null; title: null };
  signedAt: string;
  publicListing: false;
  withheld: true;
  withdrawnAt: null;
}

/** `GET /api/versions/:versionId/signons` */
export interface SignonList {
  /** Live sign-ons, listed or not. */
  total: number;
  /** Distinct countries among them. */
  countries: number;
  byCountry: {
    country: string;
    countryName: string;
    /** Live sign-ons from this country, listed or not (= signons.length). */
    count: number;
    /** How many of them asked not to be listed. */
    unlisted: number;
    signons: (Signon | WithheldSignon)[];
  }[];
}
