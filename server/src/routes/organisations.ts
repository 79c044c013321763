import { Hono } from 'hono';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { AppEnv } from '../http.js';
import { parse } from '../validate.js';
import { organisationKey } from '../domain/organisations.js';

const searchQuery = z.object({
  q: z.string().max(100).optional().default(''),
  limit: z.coerce.number().int().min(1).max(50).optional().default(20),
});

export function organisationRoutes(ctx: AppContext) {
  // Suggestions for the sign-on form. Only organisations already listed publicly on some version
  // are offered: an organisation that signed without being named is never suggested to anyone.
  return new Hono<AppEnv>().get('/organisations', (c) => {
    const { q, limit } = parse(searchQuery, c.req.query(), 'query');
    const key = organisationKey(q).replace(/[\\%_]/g, (ch) => `\\${ch}`);
    const organisations = key.length < 2 ? [] : ctx.store.q.organisations.searchListed({ pattern: `%${key}%`, limit });
    return c.json({ organisations });
  });
}
