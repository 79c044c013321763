import type { Server } from 'node:http';
import type { AppContext } from '../context.js';

/** Placeholder until the collaboration server lands: refuses every upgrade. */
export function attachCollab(server: Server, _ctx: AppContext): { close(): Promise<void> } {
  server.on('upgrade', (_req, socket) => {
    socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
  });
  return { close: async () => {} };
}
