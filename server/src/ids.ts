import { createHash, randomBytes } from 'node:crypto';

/** A new opaque id: 16 url-safe characters (96 random bits). */
export const newId = (): string => randomBytes(12).toString('base64url');

/** A new secret token (256 random bits); only its hash is ever stored. */
export const newToken = (): string => randomBytes(32).toString('base64url');

export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

export const nowIso = (): string => new Date().toISOString();
