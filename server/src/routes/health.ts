import { Hono } from 'hono';
import type { AppContext } from '../context.js';
import type { AppEnv } from '../http.js';

export function healthRoutes(_ctx: AppContext) {
  return new Hono<AppEnv>().get('/health', (c) => c.json({ ok: true }));
}
