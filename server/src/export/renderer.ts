import { Worker } from 'node:worker_threads';
import { ApiError } from '../errors.js';
import { log } from '../log.js';
import type { CharterDocxInput } from './docx.js';

/** What the main thread sends the export worker, and what comes back. */
export interface RenderRequest {
  id: number;
  input: CharterDocxInput;
}
export type RenderReply = { id: number; ok: true; bytes: Uint8Array } | { id: number; ok: false; message: string };

export interface DocxRendererOptions {
  /** Cap on the worker's old-generation heap, in MiB: an export that needs more fails alone. */
  maxHeapMb: number;
  /** Cap on the worker's young generation, in MiB (small: garbage is collected early). */
  maxYoungMb?: number;
  /** The worker stops after this long without work and gives its memory back. */
  idleMs?: number;
  /** An export still rendering after this long is abandoned and its worker stopped. */
  timeoutMs?: number;
  /** Exports that may wait behind the one rendering; more are refused with 503 and Retry-After. */
  maxQueued?: number;
}

interface Job {
  id: number;
  input: CharterDocxInput;
  resolve(bytes: Buffer): void;
  reject(err: Error): void;
}

/**
 * The worker's entry: the bundled file next to the bundled server (`pnpm start`), or, when the
 * server runs from its TypeScript source (tests, `pnpm dev`), a shim that loads tsx first.
 */
function workerEntry(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('./worker-dev.mjs', import.meta.url) : new URL('./export-worker.mjs', import.meta.url);
}

export const exportUnavailable = () =>
  new ApiError(
    503,
    'export_unavailable',
    'The Word document could not be prepared this time. Nothing was changed; try again in a moment, and if it keeps failing, tell whoever runs this Charter server.',
    { retryAfterSeconds: 10 },
    { 'Retry-After': '10' },
  );

export const exportBusy = () =>
  new ApiError(503, 'export_busy', 'Many documents are being prepared right now. Try again in a few seconds.', { retryAfterSeconds: 5 }, { 'Retry-After': '5' });

/**
 * Renders DOCX files on one long-lived worker thread, one at a time in arrival order. The
 * worker starts with the first export and stops after a quiet spell. Its heap is capped, so
 * an export too large for the cap fails with a 503 while the server, live editing included,
 * carries on; the next export starts a fresh worker.
 */
export class DocxRenderer {
  private worker: Worker | undefined;
  private current: Job | undefined;
  private readonly queue: Job[] = [];
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private jobTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly opts: Required<DocxRendererOptions>;

  constructor(opts: DocxRendererOptions) {
    this.opts = { maxYoungMb: 16, idleMs: 60_000, timeoutMs: 120_000, maxQueued: 16, ...opts };
  }

  /** Whether a worker thread is running now (it stops when idle). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  render(input: CharterDocxInput): Promise<Buffer> {
    if (this.closed) return Promise.reject(exportUnavailable());
    if (this.queue.length >= this.opts.maxQueued) return Promise.reject(exportBusy());
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, resolve, reject });
      this.pump();
    });
  }

  /** Stops the worker; exports waiting or rendering fail with 503. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    for (const job of this.queue.splice(0)) job.reject(exportUnavailable());
    await this.stopWorker(exportUnavailable());
  }

  private pump(): void {
    if (this.current || this.closed) return;
    const job = this.queue.shift();
    if (!job) {
      // An idle worker must not keep the process alive on its own.
      this.worker?.unref();
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => void this.stopWorker(), this.opts.idleMs).unref();
      return;
    }
    clearTimeout(this.idleTimer);
    this.current = job;
    const worker = this.worker ?? this.startWorker();
    worker.ref();
    this.jobTimer = setTimeout(() => {
      log.error('export_timed_out', { seconds: this.opts.timeoutMs / 1000 });
      void this.stopWorker(exportUnavailable());
    }, this.opts.timeoutMs).unref();
    worker.postMessage({ id: job.id, input: job.input } satisfies RenderRequest);
  }

  private startWorker(): Worker {
    const worker = new Worker(workerEntry(), {
      resourceLimits: { maxOldGenerationSizeMb: this.opts.maxHeapMb, maxYoungGenerationSizeMb: this.opts.maxYoungMb },
      // The worker's output is the reply; anything it prints is a bug worth seeing in the log.
      stdout: false,
      stderr: false,
    });
    worker.on('message', (reply: RenderReply) => this.finish(reply));
    worker.on('error', (err) => {
      if (this.worker !== worker) return;
      const outOfMemory = (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      log.error(outOfMemory ? 'export_out_of_memory' : 'export_worker_failed', {
        err,
        ...(outOfMemory ? { maxHeapMb: this.opts.maxHeapMb, hint: 'raise EXPORT_MEMORY_MB' } : {}),
      });
      this.dropWorker(exportUnavailable());
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.dropWorker(exportUnavailable());
    });
    this.worker = worker;
    return worker;
  }

  private finish(reply: RenderReply): void {
    const job = this.current;
    if (!job || job.id !== reply.id) return;
    clearTimeout(this.jobTimer);
    this.current = undefined;
    if (reply.ok) job.resolve(Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength));
    else job.reject(new Error(`DOCX rendering failed: ${reply.message}`));
    this.pump();
  }

  /** Forgets the worker after it failed or was stopped: the job it had fails, the queue goes on with a new one. */
  private dropWorker(reason: Error): void {
    this.worker = undefined;
    clearTimeout(this.jobTimer);
    const job = this.current;
    this.current = undefined;
    job?.reject(reason);
    this.pump();
  }

  private async stopWorker(reason?: Error): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.dropWorker(reason ?? exportUnavailable());
    await worker.terminate();
  }
}
