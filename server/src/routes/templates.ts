import { Hono } from 'hono';
import type { AppContext } from '../context.js';
import type { AppEnv } from '../http.js';
import { notFound } from '../errors.js';

export function templateRoutes(ctx: AppContext) {
  return new Hono<AppEnv>()
    .get('/templates', (c) => c.json({ templates: ctx.templates.list() }))
    .get('/templates/:templateId', (c) => {
      const template = ctx.templates.get(c.req.param('templateId'));
      if (!template) throw notFound('This template');
      return c.json({ template });
    });
}
