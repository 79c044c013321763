import { EventEmitter } from 'node:events';
import type { Config } from './env.js';
import type { Store } from './db/index.js';
import type { TemplateRegistry } from '@charter/templates';
import { RateLimiter } from './rate-limit.js';
import type { DocxRenderer } from './export/renderer.js';

/** Events other parts of the server react to (the collaboration server above all). */
export interface ServerEvents {
  /** Someone's rights on a charter may have changed: membership, role, sections or status. */
  accessChanged: [charterId: string];
}

export class EventBus extends EventEmitter<ServerEvents> {}

/** Everything a request handler needs, built once per server. */
export interface AppContext {
  config: Config;
  store: Store;
  templates: TemplateRegistry;
  bus: EventBus;
  /** The live collaboration server, once attached (finalise and export read section content through it). */
  collab?: import('./collab/server.js').CollabServer;
  /** Renders DOCX exports on a worker thread of their own. */
  docx: DocxRenderer;
  limits: {
    loginByAccount: RateLimiter;
    loginByAddress: RateLimiter;
    registerByAddress: RateLimiter;
    signonByAccount: RateLimiter;
    signonByAddress: RateLimiter;
    exportByAddress: RateLimiter;
  };
}

export function createLimits(): AppContext['limits'] {
  return {
    // Failed sign-ins: 10 per account and 100 per address in 15 minutes.
    loginByAccount: new RateLimiter(10, 15 * 60_000),
    loginByAddress: new RateLimiter(100, 15 * 60_000),
    // New accounts: 200 per address per hour (a forum registers many people from one room's address).
    registerByAddress: new RateLimiter(200, 60 * 60_000),
    // Sign-ons: 60 a minute per account, 1200 per address (a forum signs from one room, a campaign through one proxy).
    signonByAccount: new RateLimiter(60, 60_000),
    signonByAddress: new RateLimiter(1200, 60_000),
    // Public DOCX exports (each is written to the audit trail): 120 a minute per address.
    exportByAddress: new RateLimiter(120, 60_000),
  };
}
