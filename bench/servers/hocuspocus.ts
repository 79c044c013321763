/**
 * The product peer: Hocuspocus 3.x with its SQLite extension (a database file given as argv[2]),
 * default debounce, no auth hooks. Prints `LISTENING <port>` once ready.
 */
import { Server } from '@hocuspocus/server';
import { SQLite } from '@hocuspocus/extension-sqlite';

const database = process.argv[2] ?? ':memory:';
const server = new Server({
  port: 0,
  address: '127.0.0.1',
  quiet: true,
  stopOnSignals: true,
  extensions: [new SQLite({ database })],
});
await server.listen();
process.stdout.write(`LISTENING ${server.address.port}\n`);
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 1000).unref();
