import { loadConfig, type Config } from '../shared/config.js';
import { createLogger } from '../shared/logger.js';
import { exitOnStartUpFailure } from '../shared/start-up.js';
import { startWorker, type WorkerHandle } from './worker.js';

/**
 * Runs one scheduler worker from the environment (see shared/config.ts). Exits with status 2 and
 * a one-line reason on a bad configuration, 1 on a permanent failure, 0 after SIGTERM or SIGINT.
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger('worker', { level: config.logLevel });
  let handle: WorkerHandle | undefined;

  const shutdown = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'stopping the worker');
    await handle?.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  try {
    handle = await startWorker(config, {
      logger,
      onFatal: () => {
        process.exitCode = 1;
        void handle?.stop().finally(() => process.exit(1));
      },
    });
  } catch (error) {
    exitWithReason(error);
  }
}

function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    return exitWithReason(error);
  }
}

function exitWithReason(error: unknown): never {
  return exitOnStartUpFailure('worker', error);
}

void main();
