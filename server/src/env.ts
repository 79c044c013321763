import { z } from 'zod';
import { resolve } from 'node:path';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every environment variable the server reads. README.md documents each one. */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Public origin (https://charter.example.org) used in invitation links, cookies and the CSRF check. */
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** Trust X-Forwarded-For / X-Forwarded-Proto (only behind a reverse proxy you run). */
  TRUST_PROXY: bool,
  /** Directory of the built web client; defaults to client/dist in the repository. */
  CLIENT_DIST: z.string().optional(),
  /** Heap cap of the DOCX export worker, in MiB: a document needing more fails alone with a 503. */
  EXPORT_MEMORY_MB: z.coerce.number().int().min(32).max(4096).default(160),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string | undefined;
  logLevel: Env['LOG_LEVEL'];
  trustProxy: boolean;
  clientDist: string | undefined;
  exportMemoryMb: number;
}

/** Reads and checks the environment; a bad value stops the start with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    clientDist: e.CLIENT_DIST ? resolve(e.CLIENT_DIST) : undefined,
    exportMemoryMb: e.EXPORT_MEMORY_MB,
  };
}
