import { z } from 'zod';
import { isCountryCode } from '../countries.js';

/** Text a person typed: trimmed, free of NUL and lone surrogates, within `max` characters. */
export function text(max: number, min = 1) {
  return z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(min, min === 1 ? 'Required.' : `At least ${min} characters.`)
        .max(max, `At most ${max} characters.`)
        .refine((s) => !s.includes('\u0000'), 'Contains a NUL character.')
        .refine((s) => s.isWellFormed(), 'Contains an invalid character.'),
    );
}

/** Optional free text: `undefined`, `null` and blank strings all become `''`. */
export function optionalText(max: number) {
  return z
    .union([z.string(), z.null()])
    .optional()
    .transform((s) => (s ?? '').normalize('NFC').trim())
    .pipe(
      z
        .string()
        .max(max, `At most ${max} characters.`)
        .refine((s) => !s.includes('\u0000'), 'Contains a NUL character.')
        .refine((s) => s.isWellFormed(), 'Contains an invalid character.'),
    );
}

export const idSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'Not a valid id.');

export const emailSchema = z
  .string()
  .trim()
  .max(254, 'At most 254 characters.')
  .pipe(z.email('Not a valid e-mail address.'))
  .transform((e) => e.toLowerCase());

export const countrySchema = z
  .string()
  .refine(isCountryCode, 'Use an ISO 3166-1 alpha-2 country code in upper case, such as KE, ET or TH.');

export const websiteSchema = z
  .union([z.string(), z.null()])
  .optional()
  .transform((s) => (s ?? '').trim())
  .pipe(
    z
      .string()
      .max(500)
      .refine((s) => s === '' || /^https?:\/\/[^\s]+$/i.test(s), 'Use a web address starting with http:// or https://.'),
  );

export const isoDateTime = z.iso.datetime({ offset: true, message: 'Use an ISO 8601 date and time, such as 2026-11-22T10:00:00Z.' });

// Plain-language messages for the cases zod would describe in its own terms.
z.config({
  customError: (issue) => {
    if (issue.code === 'invalid_type') {
      if (issue.input === undefined) return 'Required.';
      const expected = String(issue.expected);
      return `Expected ${/^[aeiou]/.test(expected) ? 'an' : 'a'} ${expected}.`;
    }
    if (issue.code === 'unrecognized_keys') return `Unknown field: ${issue.keys.join(', ')}.`;
    if (issue.code === 'invalid_value') return `Use one of: ${issue.values.map(String).join(', ')}.`;
    return undefined;
  },
});
