// Runs the export worker from its TypeScript source (tests, `pnpm dev`): Node 20 does not pass
// `--import tsx` on to worker threads, so the worker registers tsx itself. `pnpm start` runs the
// bundled server/dist/export-worker.mjs instead.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
