import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { loadTemplates } from '@charter/templates';
import { createApp } from './app.js';
import { createLimits, EventBus, type AppContext } from './context.js';
import { openStore } from './db/index.js';
import { startCheckpointer } from './db/checkpointer.js';
import type { Config } from './env.js';
import { log } from './log.js';
import { attachCollab } from './collab/server.js';
import { DocxRenderer } from './export/renderer.js';

export { DocxRenderer };

/** The templates folder, from server/src (tsx) or server/dist (the bundle `pnpm start` runs): both sit two levels down. */
const TEMPLATES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../templates');

export interface RunningServer {
  /** http://host:port */
  url: string;
  port: number;
  ctx: AppContext;
  /** The Hono app (its `routes` list every method and path it answers). */
  app: ReturnType<typeof createApp>;
  /** Stops accepting, closes live connections (clients reconnect elsewhere), flushes and closes the database. */
  close(): Promise<void>;
}

/** The database file inside a data directory. */
export const databaseFile = (dataDir: string) => join(dataDir, 'charter.db');

/** Holds the pid of the server using a data directory, so `pnpm restore` can refuse while it runs. */
export const pidFile = (dataDir: string) => join(dataDir, 'charter.pid');

/** Opens the data directory, builds the app and listens. Tests call this with port 0. */
export async function startServer(config: Config): Promise<RunningServer> {
  const store = openStore(databaseFile(config.dataDir));
  const checkpointer = startCheckpointer(store, databaseFile(config.dataDir));
  const ctx: AppContext = {
    config,
    store,
    templates: loadTemplates(TEMPLATES_DIR),
    bus: new EventBus(),
    limits: createLimits(),
    docx: new DocxRenderer({ maxHeapMb: config.exportMemoryMb }),
  };
  const app = createApp(ctx);

  const server = await new Promise<Server>((resolveListen, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolveListen(s as Server)) as Server;
    s.once('error', reject);
  });
  server.on('error', (err) => log.error('http_server_error', { err }));
  const collab = attachCollab(server, ctx);
  writeFileSync(pidFile(config.dataDir), String(process.pid));

  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    ctx,
    app,
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((r) => server.close(() => r()));
        server.closeIdleConnections();
        await collab.close();
        const force = setTimeout(() => server.closeAllConnections(), 5_000);
        await stopped;
        clearTimeout(force);
        await ctx.docx.close();
        await checkpointer.stop();
        store.close();
        rmSync(pidFile(config.dataDir), { force: true });
      })()),
  };
}
