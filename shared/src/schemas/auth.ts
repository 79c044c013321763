import { z } from 'zod';
import { countrySchema, emailSchema, optionalText, text } from './common.js';

export const organisationRefSchema = z.strictObject({
  name: text(300),
  country: countrySchema,
  acronym: optionalText(50),
  website: z.string().max(500).optional(),
});

export const registerBody = z.object({
  email: emailSchema,
  password: z.string().min(10, 'Use at least 10 characters.').max(1024, 'At most 1024 characters.'),
  name: text(200),
  /** Optional: the organisation this person works for, shown beside their name. */
  organisation: organisationRefSchema.optional(),
  /** Optional: an invitation token received by e-mail or link. */
  invitation: z.string().min(10).max(200).optional(),
});
export type RegisterBody = z.infer<typeof registerBody>;

export const loginBody = z.object({
  email: z.string().trim().min(1, 'Required.').max(254).transform((e) => e.toLowerCase()),
  password: z.string().min(1, 'Required.').max(1024),
});
export type LoginBody = z.infer<typeof loginBody>;

export const acceptInvitationBody = z.object({ token: z.string().min(10).max(200) });

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  organisation?: { id: string; name: string; acronym: string; country: string } | null;
}
