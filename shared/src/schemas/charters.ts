import { z } from 'zod';
import { emailSchema, idSchema, optionalText, text } from './common.js';

export const ROLES = ['secretariat', 'drafter', 'observer'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES, { message: 'Use one of: secretariat, drafter, observer.' });

export const CHARTER_STATUSES = ['drafting', 'finalised'] as const;
export type CharterStatus = (typeof CHARTER_STATUSES)[number];

export const sectionKeySchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(60)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lower-case letters, digits and single hyphens, such as case-management.');

export const createCharterBody = z.object({
  title: text(300),
  description: optionalText(5000),
  templateId: z.union([z.string().max(100), z.null()]).optional(),
});

export const updateCharterBody = z
  .object({ title: text(300).optional(), description: optionalText(5000).optional() })
  .refine((b) => b.title !== undefined || b.description !== undefined, 'Give a title or a description.');

export const createSectionBody = z.object({
  title: text(200),
  key: sectionKeySchema.optional(),
});

export const updateSectionBody = z
  .object({
    title: text(200).optional(),
    position: z.number().int('Use a whole number.').min(0).max(10_000).optional(),
  })
  .refine((b) => b.title !== undefined || b.position !== undefined, 'Give a title or a position.');

export const addMemberBody = z.object({
  email: emailSchema,
  role: roleSchema,
  sectionIds: z.array(idSchema).max(200).optional(),
});

export const updateMemberBody = z
  .object({ role: roleSchema.optional(), sectionIds: z.array(idSchema).max(200).optional() })
  .refine((b) => b.role !== undefined || b.sectionIds !== undefined, 'Give a role or sections.');

export interface Section {
  id: string;
  key: string;
  title: string;
  position: number;
  guidance?: string;
}

export interface Charter {
  id: string;
  title: string;
  description: string;
  status: CharterStatus;
  templateId: string | null;
  createdAt: string;
  updatedAt: string;
  /** The caller's role on this charter. */
  role: Role;
  /** Sections the caller is limited to as a drafter; empty means every section. */
  assignedSectionIds: string[];
  sections: Section[];
}

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  sectionIds: string[];
  organisation?: { name: string; acronym: string; country: string } | null;
}

export interface Invitation {
  token: string;
  url: string;
  email: string;
  role: Role;
  sectionIds: string[];
  createdAt: string;
}
