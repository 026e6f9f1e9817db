import { loadConfig, type Config } from '../shared/config.js';
import { startEmbeddedRedis, type EmbeddedRedis } from '../shared/embedded-redis.js';
import { ConfigError } from '../shared/errors.js';
import { createLogger, type Logger } from '../shared/logger.js';
import { exitOnStartUpFailure } from '../shared/start-up.js';
import { defaultAgents, startEmulator, type Emulator } from '../emulator/index.js';
import { startFunctionServer } from '../functions/node/server.js';
import { startWorker } from '../worker/index.js';
import { printBanner } from './banner.js';

/** Something started by this runner, stopped in reverse order on exit. */
interface Stoppable {
  name: string;
  stop(): Promise<void>;
  /** Ends the part at once when the process exits without waiting; set for child processes. */
  kill?(): void;
}

const EMBEDDED_AGENT_COUNT = 3;
const FORCED_EXIT_MS = 10_000;
const PARENT_CHECK_INTERVAL_MS = 500;

/**
 * Runs the whole product in one process tree: a private redis-server unless `REDIS_URL` is set,
 * the emulated master unless `MESOS_MASTER` is set, then the launch function and the worker.
 */
export async function runEmbedded(environment: NodeJS.ProcessEnv = process.env): Promise<void> {
  const logger = createLogger('runner');
  const started: Stoppable[] = [];
  const startup = startAll(environment, started, logger);
  installSignalHandlers(started, startup, logger);

  try {
    await startup;
  } catch (error) {
    if (!(error instanceof ConfigError)) {
      logger.fatal({ err: error }, 'start-up failed');
    }
    await stopAll(started, logger);
    // This exits even if a part left a handle open, so a failed start never hangs.
    exitOnStartUpFailure('start', error);
  }
}

async function startAll(
  environment: NodeJS.ProcessEnv,
  started: Stoppable[],
  logger: Logger,
): Promise<void> {
  const config = loadConfig(environment);
  const redis = config.redis.url ? undefined : await startRedis(started, logger);
  const emulator = config.mesos.masters ? undefined : await startMaster(started, logger);
  const effective = withEmbeddedAddresses(config, redis, emulator);

  const functionServer = await startFunctionServer(effective, {});
  started.push({ name: 'function', stop: () => functionServer.close() });

  const worker = await startWorker(effective, {});
  started.push({ name: 'worker', stop: () => worker.stop() });

  printBanner({ config: effective, functionUrl: functionServer.url, worker, redis, emulator });
}

async function startRedis(started: Stoppable[], logger: Logger): Promise<EmbeddedRedis> {
  // In a process group of its own, so Ctrl-C reaches only this process, which stops the worker
  // (releasing its lease in Redis) before it stops Redis.
  const redis = await startEmbeddedRedis({ appendOnly: true, ownProcessGroup: true });
  started.push({
    name: 'redis-server',
    stop: () => redis.stop(),
    kill: () => process.kill(redis.pid, 'SIGTERM'),
  });
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

/**
 * Stops everything on SIGINT, SIGTERM or SIGHUP, after the start-up under way has finished, so no
 * part starts after the others were stopped. A second Ctrl-C exits at once. Any other signal while
 * stopping changes nothing, because the shell around this process may go away at the same moment.
 */
function installSignalHandlers(started: Stoppable[], startup: Promise<void>, logger: Logger): void {
  let stopping = false;

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      if (signal === 'SIGINT') {
        logger.warn({ signal }, 'second Ctrl-C: exiting without waiting');
        exitNow(started, 130);
      }
      return;
    }

    stopping = true;
    logger.info({ signal }, 'stopping');
    setTimeout(() => exitNow(started, 1), FORCED_EXIT_MS).unref();
    void startup
      .catch(() => undefined)
      .then(() => stopAll(started, logger))
      .then(() => process.exit(0));
  };

  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Closing the terminal sends SIGHUP, which would otherwise end the process and leave the
  // private redis-server running.
  process.on('SIGHUP', onSignal);
  stopWithNpm(() => onSignal('SIGTERM'));
}

/** Exits without waiting, after ending the child processes not yet stopped. */
function exitNow(started: Stoppable[], code: number): never {
  for (const part of started) {
    try {
      part.kill?.();
    } catch {
      // The child is gone already.
    }
  }

  process.exit(code);
}

/**
 * Under `npm start`, npm passes SIGTERM only to the shell it started, which exits without passing
 * it on, so this process would be left running with everything it started. It therefore stops
 * when that shell goes away (its parent process changes).
 */
function stopWithNpm(stop: () => void): void {
  if (process.env.npm_lifecycle_event === undefined) {
    return;
  }

  const parentPid = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parentPid) {
      clearInterval(timer);
      stop();
    }
  }, PARENT_CHECK_INTERVAL_MS);
  timer.unref();
}

/** Stops the parts started so far, newest first, each once; a stopped part leaves the list. */
async function stopAll(started: Stoppable[], logger: Logger): Promise<void> {
  for (let part = started.pop(); part; part = started.pop()) {
    try {
      await part.stop();
      logger.info({ part: part.name }, 'stopped');
    } catch (error) {
      logger.error({ err: error, part: part.name }, 'failed to stop cleanly');
    }
  }
}

await runEmbedded();
