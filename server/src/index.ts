import { loadConfig } from './env.js';
import { log, setLogLevel } from './log.js';
import { startServer } from './server.js';
import { seedDemo } from './demo.js';

/** Entry point: read the environment, listen, and shut down cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  setLogLevel(config.logLevel);
  const running = await startServer(config);
  if (process.argv.includes('--demo')) await seedDemo(running.ctx, running.url);
  log.info('listening', { url: running.url, dataDir: config.dataDir });
  if (config.logLevel !== 'silent') process.stdout.write(`\nCharter is running at ${running.url}\n\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting_down', { signal });
    running.close().then(
      () => process.exit(0),
      (err) => {
        log.error('shutdown_failed', { err });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

process.on('uncaughtException', (err) => log.error('uncaught_exception', { err }));
process.on('unhandledRejection', (err) => log.error('unhandled_rejection', { err }));

main().catch((err) => {
  process.stderr.write(`Charter could not start: ${(err as Error).message}\n`);
  process.exit(1);
});
