import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { JobsOptions } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { loadConfig, type Config } from '../../shared/config.js';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../shared/embedded-redis.js';
import { launchJobOptions } from '../../shared/launch/job-options.js';
import { redisKeys, type RedisKeys } from '../../shared/launch/keys.js';
import { LaunchStore } from '../../shared/launch/store.js';
import { createLogger, type Logger } from '../../shared/logger.js';
import { exitOnStartUpFailure } from '../../shared/start-up.js';
import { redisOptionsFromUrl } from '../../shared/redis-connection.js';
import { createApp } from '../app.js';
import { createDocsAssetReader } from './docs-assets.js';
import type { LaunchBackend } from '../backend.js';
import { createRequestLogger } from '../request-log.js';
import { INTERNAL_PATH_PREFIX, createInternalApp } from './internal.js';
import { LaunchQueue } from './launch-queue.js';
import { createFunctionMetrics, type FunctionMetrics } from './metrics.js';
import { createRedisBackend } from './redis-backend.js';
import { digestCanonicalJsonSync } from './request-digest-sync.js';

const DEFAULT_REDIS_TIMEOUT_MS = 2_000;

export interface FunctionServerOptions {
  logger?: Logger;
  /** Redis connection; overrides `config.redis.url`. Without either, a private redis-server starts. */
  redis?: RedisOptions;
  /** Port to listen on; overrides `config.http.port` (0 picks a free port). */
  port?: number;
  /** Address to listen on; overrides `config.http.host`. */
  host?: string;
  /** Largest accepted POST body in bytes. @defaultValue 65536 */
  bodyLimitBytes?: number;
  /** Redis connect and command timeout in ms, so an unreachable Redis fails requests fast. @defaultValue 2000 */
  redisTimeoutMs?: number;
  /** Options of every launch job. @defaultValue attempts from LAUNCH_ATTEMPTS, with retention */
  jobOptions?: Omit<JobsOptions, 'jobId'>;
}

export interface FunctionServer {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the launch function on Node: the Hono app on @hono/node-server, launch jobs through
 * BullMQ, status from Redis, and, when FORWARD_SECRET is set, the internal endpoint for requests
 * forwarded by the edge entry. Redis need not be reachable at start: requests then get 503 until
 * it is.
 */
export async function startFunctionServer(
  config: Config,
  options: FunctionServerOptions = {},
): Promise<FunctionServer> {
  const logger = options.logger ?? createLogger('function');
  const embedded = options.redis || config.redis.url ? undefined : await startEmbeddedRedis();
  const launchSide = createLaunchSide(config, options, embedded, logger);
  const handler = createRequestHandler(config, options, launchSide, logger);

  await waitForRedis(launchSide.redis, options.redisTimeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS);

  const server = serve({
    fetch: handler.fetch,
    hostname: options.host ?? config.http.host,
    port: options.port ?? config.http.port,
  });
  try {
    await once(server, 'listening');
  } catch (error) {
    // Without this the Redis client (and the private redis-server) would outlive the failure.
    await closeAll({ server, ...launchSide, embedded, logger });
    throw error;
  }

  const url = formatUrl(server.address() as AddressInfo);
  logger.info({ url, internalEndpoint: handler.internalEndpoint }, 'launch function listening');

  return {
    url,
    close: () => closeAll({ server, ...launchSide, embedded, logger }),
  };
}

type FetchHandler = Parameters<typeof serve>[0]['fetch'];

/** The Redis client, the BullMQ producer, the store and the metrics behind the HTTP apps. */
interface LaunchSide {
  redis: Redis;
  keys: RedisKeys;
  queue: LaunchQueue;
  store: LaunchStore;
  metrics: FunctionMetrics;
  backend: LaunchBackend;
}

function createLaunchSide(
  config: Config,
  options: FunctionServerOptions,
  embedded: EmbeddedRedis | undefined,
  logger: Logger,
): LaunchSide {
  const redis = connectRedis(options, config, embedded, logger);
  const keys = redisKeys(config.redis.prefix);
  const queue = new LaunchQueue(redis, keys.queuePrefix, logger);
  const store = new LaunchStore({
    redis,
    keys,
    queue,
    logger,
    jobOptions: options.jobOptions ?? launchJobOptions(config.launch.attempts),
    operationTimeoutMs: 2 * (options.redisTimeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS),
  });
  const metrics = createFunctionMetrics({ store, queue, logger });

  return { redis, keys, queue, store, metrics, backend: createRedisBackend(store, metrics) };
}

/**
 * Builds the server's fetch handler: the public app, and the internal endpoint for the edge
 * entry when FORWARD_SECRET is set.
 */
function createRequestHandler(
  config: Config,
  options: FunctionServerOptions,
  side: LaunchSide,
  logger: Logger,
): { fetch: FetchHandler; internalEndpoint: boolean } {
  const requestLogger = createRequestLogger(logger);
  const app = createApp({
    backend: side.backend,
    apiTokens: config.apiTokens,
    clientAddress: (c) => getConnInfo(c).remote.address,
    requestLogger,
    logger,
    observeRequest: (observation) => side.metrics.observeRequest(observation),
    docsAssets: createDocsAssetReader(),
    digestRequest: digestCanonicalJsonSync,
    ...(options.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: options.bodyLimitBytes }),
  });

  if (!config.forwardSecret) {
    return { fetch: (request, env) => app.fetch(request, env), internalEndpoint: false };
  }

  const internal = createInternalApp({
    backend: side.backend,
    secret: config.forwardSecret,
    requestLogger,
    logger,
    claimSignature: (signature) =>
      side.store.runGuarded('record a forwarded request signature', async () => {
        const key = side.keys.forwardSignature(signature);
        return (await side.redis.set(key, '1', 'EX', 600, 'NX')) === 'OK';
      }),
  });

  return {
    fetch: (request, env) =>
      new URL(request.url).pathname.startsWith(`${INTERNAL_PATH_PREFIX}/`)
        ? internal.fetch(request, env)
        : app.fetch(request, env),
    internalEndpoint: true,
  };
}

function connectRedis(
  options: FunctionServerOptions,
  config: Config,
  embedded: EmbeddedRedis | undefined,
  logger: Logger,
): Redis {
  const base = options.redis ?? redisOptionsFromUrl(config.redis.url ?? embedded?.url ?? '');
  const timeoutMs = options.redisTimeoutMs ?? DEFAULT_REDIS_TIMEOUT_MS;
  const redis = new Redis({
    ...base,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    // Fail fast instead of queueing commands while disconnected: the HTTP request gets 503.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // Commands of concurrent requests go out in one write per event-loop turn.
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });

  let connected = false;
  let everConnected = false;
  redis.on('ready', () => {
    connected = true;
    everConnected = true;
    logger.info('connected to Redis');
  });

  // ioredis emits an error for every failed reconnect, so only the first of each outage is logged.
  let reportedUnreachable = false;
  redis.on('error', (err) => {
    if (connected) {
      connected = false;
      logger.warn({ err }, 'lost the Redis connection; requests get 503 until it is back');
    } else if (!everConnected && !reportedUnreachable) {
      reportedUnreachable = true;
      logger.warn({ err }, 'cannot reach Redis yet; requests get 503 until it responds');
    }
  });

  return redis;
}

/** Waits up to `timeoutMs` for the first connection; start-up goes on without one. */
async function waitForRedis(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') {
    return;
  }

  let onReady: () => void = () => undefined;
  let timer: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    onReady = resolve;
    redis.once('ready', onReady);
    timer = setTimeout(resolve, timeoutMs);
  });

  clearTimeout(timer);
  redis.off('ready', onReady);
}

function formatUrl(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

async function closeAll(parts: {
  server: ReturnType<typeof serve>;
  queue: LaunchQueue;
  redis: Redis;
  embedded: EmbeddedRedis | undefined;
  logger: Logger;
}): Promise<void> {
  if (parts.server.listening) {
    await new Promise<void>((resolve) => {
      parts.server.close(() => resolve());
      if ('closeIdleConnections' in parts.server) {
        parts.server.closeIdleConnections();
      }
    });
  }

  await parts.queue
    .close()
    .catch((err: unknown) => parts.logger.warn({ err }, 'failed to close the queue'));
  await parts.redis.quit().catch(() => parts.redis.disconnect());
  await parts.embedded?.stop();
  parts.logger.info('launch function stopped');
}

/**
 * Runs the launch function from the environment until SIGINT or SIGTERM. A configuration error
 * or a failed start ends the process with one line on stderr (exit status 2 or 1).
 */
export async function main(): Promise<void> {
  const logger = createLogger('function');
  let server: FunctionServer;
  try {
    server = await startFunctionServer(loadConfig(), { logger });
  } catch (error) {
    exitOnStartUpFailure('function', error);
  }

  const stop = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'stopping');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'failed to stop cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  void main();
}
