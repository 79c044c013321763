/**
 * The DOCX export worker: a thread of its own that renders documents, one message at a time, so
 * that rendering a large charter neither pauses live editing and sign-ons (the main thread's
 * event loop) nor grows the main heap. Its heap is capped by the renderer that starts it.
 */
import { parentPort } from 'node:worker_threads';
import { renderCharterDocx } from './docx.js';
import type { RenderReply, RenderRequest } from './renderer.js';

if (!parentPort) throw new Error('The export worker runs only as a worker thread.');
const port = parentPort;

port.on('message', async ({ id, input }: RenderRequest) => {
  let reply: RenderReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const buf = await renderCharterDocx(input);
    // Hand the bytes over without copying them again; a Buffer may be a slice of a shared pool.
    const bytes = buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength ? new Uint8Array(buf.buffer) : new Uint8Array(buf);
    reply = { id, ok: true, bytes };
    transfer = [bytes.buffer as ArrayBuffer];
  } catch (err) {
    reply = { id, ok: false, message: (err as Error)?.message ?? String(err) };
  }
  port.postMessage(reply, transfer);
});
