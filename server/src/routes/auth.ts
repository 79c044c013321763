import { Hono } from 'hono';
import { loginBody, registerBody } from '@charter/shared';
import type { AppContext } from '../context.js';
import { clearSessionCookie, clientAddress, requireUser, setSessionCookie, type AppEnv } from '../http.js';
import { parseBody } from '../validate.js';
import { endSession, login, presentUser, register } from '../domain/accounts.js';

export function authRoutes(ctx: AppContext) {
  return new Hono<AppEnv>()
    .post('/auth/register', async (c) => {
      const body = await parseBody(c, registerBody);
      const result = await register(ctx, body, clientAddress(ctx, c));
      setSessionCookie(ctx, c, result.token);
      return c.json(result, 201);
    })
    .post('/auth/login', async (c) => {
      const body = await parseBody(c, loginBody);
      const result = await login(ctx, body.email, body.password, clientAddress(ctx, c));
      setSessionCookie(ctx, c, result.token);
      return c.json(result, 200);
    })
    .post('/auth/logout', (c) => {
      const token = c.get('token');
      if (token) endSession(ctx, token);
      clearSessionCookie(ctx, c);
      return c.body(null, 204);
    })
    .get('/me', (c) => c.json({ user: presentUser(ctx, requireUser(c)) }));
}
