import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { HTTPException } from 'hono/http-exception';
import { serveStatic } from '@hono/node-server/serve-static';
import type { AppContext } from './context.js';
import { ApiError, forbidden, storageUnavailable } from './errors.js';
import { log } from './log.js';
import { publicOrigin, requestToken, type AppEnv } from './http.js';
import { userForToken } from './domain/accounts.js';
import { healthRoutes } from './routes/health.js';
import { authRoutes } from './routes/auth.js';
import { templateRoutes } from './routes/templates.js';
import { charterRoutes } from './routes/charters.js';
import { memberRoutes } from './routes/members.js';
import { organisationRoutes } from './routes/organisations.js';
import { versionRoutes } from './routes/versions.js';
import { signonRoutes } from './routes/signons.js';
import { submissionRoutes } from './routes/submissions.js';
import { auditRoutes } from './routes/audit.js';

/** Largest JSON body accepted (413 beyond). */
export const MAX_BODY_BYTES = 1024 * 1024;

const STORAGE_FAULTS = new Set(['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_BUSY', 'SQLITE_READONLY_DBMOVED']);

function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** A request path as it may be logged: an invitation token in the path is a secret and is left out. */
function loggedPath(path: string): string {
  return path.replace(/^(\/api\/invitations\/)(?!accept$)[^/]+/, '$1[redacted]');
}

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_CLIENT_DIST = resolve(here, '../../client/dist');

/**
 * Builds the whole HTTP application: security headers, body limit, authentication, the CSRF
 * check, one route module per resource under /api, the built web client, and the one error
 * handler that turns every failure into the contract's error body.
 */
export function createApp(ctx: AppContext) {
  const app = new Hono<AppEnv>();

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'strict-origin-when-cross-origin',
      xFrameOptions: 'DENY',
      crossOriginEmbedderPolicy: false,
    }),
  );

  // Bodies over the limit are refused before they are read. A declared Content-Length is checked
  // from the header alone: touching `c.req.raw.body` would make @hono/node-server build a full
  // web Request (an AbortController, a stream) for every call, the largest single cost of a
  // small request. Only a chunked body, whose size is unknown until read, goes through hono's
  // counting bodyLimit.
  const tooLarge = () => {
    // The rest of the body is not read, so the connection cannot be reused: say so.
    throw new ApiError(413, 'payload_too_large', `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB.`, undefined, {
      Connection: 'close',
    });
  };
  const countChunkedBody = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });
  app.use('/api/*', async (c, next) => {
    if (c.req.header('transfer-encoding')) return countChunkedBody(c, next);
    if (Number(c.req.header('content-length') ?? 0) > MAX_BODY_BYTES) tooLarge();
    await next();
  });

  // A body nobody read (logout, reopen, deletes, refusals before parsing) is read to its end after
  // the answer: left unread on a keep-alive connection it stalls there, and @hono/node-server then
  // drops the connection, failing the client's next request. The limit above bounds what is read.
  app.use('/api/*', async (c, next) => {
    await next();
    const hasBody = c.req.header('transfer-encoding') !== undefined || Number(c.req.header('content-length') ?? 0) > 0;
    if (hasBody && !c.req.raw.bodyUsed) await c.req.raw.arrayBuffer().catch(() => undefined);
  });

  // Who is calling: a bearer token or the session cookie.
  app.use('/api/*', async (c, next) => {
    const found = requestToken(c);
    const user = found ? userForToken(ctx, found.token) : undefined;
    c.set('user', user);
    c.set('token', user ? found?.token : undefined);
    c.set('authVia', user ? found?.via : undefined);
    await next();
  });

  // CSRF: a state-changing request riding on the cookie must come from the app's own origin.
  app.use('/api/*', async (c, next) => {
    if (c.get('authVia') === 'cookie' && !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method)) {
      const origin = c.req.header('origin');
      const site = c.req.header('sec-fetch-site');
      const allowed = origin ? origin === publicOrigin(ctx, c) || origin === new URL(c.req.url).origin : !site || site === 'same-origin' || site === 'none';
      if (!allowed) throw forbidden('This request came from another site and was refused.');
    }
    await next();
  });

  app.use('/api/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });

  const api = new Hono<AppEnv>()
    .route('/', healthRoutes(ctx))
    .route('/', authRoutes(ctx))
    .route('/', templateRoutes(ctx))
    .route('/', charterRoutes(ctx))
    .route('/', memberRoutes(ctx))
    .route('/', versionRoutes(ctx))
    .route('/', signonRoutes(ctx))
    .route('/', submissionRoutes(ctx))
    .route('/', auditRoutes(ctx))
    .route('/', organisationRoutes(ctx));
  app.route('/api', api);

  app.all('/api/*', (c) => c.json(errorBody('not_found', 'There is no such API route.'), 404));

  const dist = ctx.config.clientDist ?? DEFAULT_CLIENT_DIST;
  if (existsSync(join(dist, 'index.html'))) {
    app.use(
      '/assets/*',
      async (c, next) => {
        await next();
        if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
      },
      serveStatic({ root: dist, precompressed: true }),
    );
    app.use('*', serveStatic({ root: dist, precompressed: true }));
    // Every other page is a client route: serve the app shell.
    app.get('*', serveStatic({ root: dist, path: 'index.html' }));
  } else {
    app.get('/', (c) =>
      c.text('Charter API is running. The web client is not built: run `pnpm build` (pnpm start does it for you).'),
    );
  }

  app.notFound((c) => c.json(errorBody('not_found', 'Nothing is here.'), 404));

  app.onError((err, c) => {
    if (err instanceof ApiError) {
      for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
      return c.json(errorBody(err.code, err.message, err.details), err.status);
    }
    if (err instanceof HTTPException && err.status < 500) {
      const code = err.status === 413 ? 'payload_too_large' : err.status === 401 ? 'unauthenticated' : 'validation_error';
      return c.json(errorBody(code, err.message || 'The request could not be understood.'), err.status);
    }
    const sqliteCode = (err as { code?: unknown }).code;
    if (typeof sqliteCode === 'string' && STORAGE_FAULTS.has(sqliteCode)) {
      log.error('storage_fault', { code: sqliteCode, method: c.req.method, path: loggedPath(c.req.path), message: err.message });
      const e = storageUnavailable();
      return c.json(errorBody(e.code, e.message), 503);
    }
    log.error('unhandled_error', { method: c.req.method, path: loggedPath(c.req.path), err });
    return c.json(errorBody('internal_error', 'Something went wrong on the server. Try again in a moment; if it happens again, tell the secretariat.'), 500);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
