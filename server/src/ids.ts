import { createHash, randomBytes, randomFillSync } from 'node:crypto';

const ID_BYTES = 12;
/** Random bytes for ids, drawn from the system's CSPRNG 256 ids at a time rather than one call per id. */
const idPool = Buffer.allocUnsafe(ID_BYTES * 256);
let idOffset = idPool.length;

/** A new opaque id: 16 url-safe characters (96 random bits). */
export function newId(): string {
  if (idOffset + ID_BYTES > idPool.length) {
    randomFillSync(idPool);
    idOffset = 0;
  }
  const id = idPool.toString('base64url', idOffset, idOffset + ID_BYTES);
  // Spent bytes are overwritten, so an id never lingers in the pool after it is handed out.
  idPool.fill(0, idOffset, idOffset + ID_BYTES);
  idOffset += ID_BYTES;
  return id;
}

/** A new secret token (256 random bits); only its hash is ever stored. */
export const newToken = (): string => randomBytes(32).toString('base64url');

export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

export const nowIso = (): string => new Date().toISOString();
