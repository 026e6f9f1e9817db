import { loadConfig, type Config } from '../shared/config.js';
import { startEmbeddedRedis, type EmbeddedRedis } from '../shared/embedded-redis.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { defaultAgents, startEmulator, type Emulator } from '../emulator/index.js';
import { startFunctionServer } from '../functions/node/server.js';
import { startWorker } from '../worker/index.js';
import { printBanner } from './banner.js';

/** Something started by this runner, stopped in reverse order on exit. */
interface Stoppable {
  name: string;
  stop(): Promise<void>;
}

const EMBEDDED_AGENT_COUNT = 3;
const FORCED_EXIT_MS = 10_000;

/**
 * Runs the whole product in one process tree: a private redis-server unless `REDIS_URL` is set,
 * the emulated master unless `MESOS_MASTER` is set, then the launch function and the worker.
 */
export async function runEmbedded(environment: NodeJS.ProcessEnv = process.env): Promise<void> {
  const logger = createLogger('runner');
  const started: Stoppable[] = [];
  installSignalHandlers(started, logger);

  try {
    const config = loadConfig(environment);
    const redis = config.redis.url ? undefined : await startRedis(started, logger);
    const emulator = config.mesos.masters ? undefined : await startMaster(started, logger);
    const effective = withEmbeddedAddresses(config, redis, emulator);

    const functionServer = await startFunctionServer(effective, {});
    started.push({ name: 'function', stop: () => functionServer.close() });

    const worker = await startWorker(effective, {});
    started.push({ name: 'worker', stop: () => worker.stop() });

    printBanner({ config: effective, functionUrl: functionServer.url, worker, redis, emulator });
  } catch (error) {
    logger.fatal({ err: error }, 'start-up failed');
    await stopAll(started, logger);
    process.exitCode = 1;
  }
}

async function startRedis(started: Stoppable[], logger: Logger): Promise<EmbeddedRedis> {
  const redis = await startEmbeddedRedis({ appendOnly: true });
  started.push({ name: 'redis-server', stop: () => redis.stop() });
  logger.info({ socketPath: redis.socketPath, pid: redis.pid }, 'started private redis-server');
  return redis;
}

async function startMaster(started: Stoppable[], logger: Logger): Promise<Emulator> {
  const emulator = await startEmulator({ agents: defaultAgents(EMBEDDED_AGENT_COUNT) });
  started.push({ name: 'emulator', stop: () => emulator.stop() });
  logger.info({ url: emulator.url }, 'started emulated Mesos master');
  return emulator;
}

function withEmbeddedAddresses(
  config: Config,
  redis: EmbeddedRedis | undefined,
  emulator: Emulator | undefined,
): Config {
  return {
    ...config,
    mesos: { ...config.mesos, masters: config.mesos.masters ?? [emulator?.url ?? ''] },
    redis: { ...config.redis, url: config.redis.url ?? redis?.url },
  };
}

function installSignalHandlers(started: Stoppable[], logger: Logger): void {
  let stopping = false;

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(130);
    }

    stopping = true;
    logger.info({ signal }, 'stopping');
    setTimeout(() => process.exit(1), FORCED_EXIT_MS).unref();
    void stopAll(started, logger).then(() => process.exit(0));
  };

  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

async function stopAll(started: Stoppable[], logger: Logger): Promise<void> {
  for (const part of started.reverse()) {
    try {
      await part.stop();
      logger.info({ part: part.name }, 'stopped');
    } catch (error) {
      logger.error({ err: error, part: part.name }, 'failed to stop cleanly');
    }
  }
}

await runEmbedded();
