import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../shared/embedded-redis.js';
import { exitAsFailure, freePort, type Child, type ChildSet } from './children.js';
import type { EmulatorProcessSettings } from './emulator-process.js';

/** How the product's processes run: the built JavaScript (as in production) or through tsx. */
export type Runtime = 'dist' | 'tsx';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const START_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 100;

export interface StackOptions {
  runtime: Runtime;
  emulator: EmulatorProcessSettings;
  logDir: string;
  /** Folder for `--cpu-prof` output of every node child; no profiling when unset. */
  profileDir: string | undefined;
  logLevel: string;
  /** Extra node options for the function and the worker, e.g. `--max-old-space-size=256`. */
  nodeOptions: string[];
}

export interface EmulatorChild {
  child: Child;
  url: string;
}

export interface ProductStack {
  redis: EmbeddedRedis;
  emulator: EmulatorChild;
  launchFunction: Child;
  functionUrl: string;
  worker: Child;
  workerHealthUrl: string;
  redisPrefix: string;
}

/** Starts the emulator child and waits for the URL it prints. */
export async function startEmulatorChild(
  children: ChildSet,
  settings: EmulatorProcessSettings,
  options: Pick<StackOptions, 'logDir' | 'logLevel' | 'profileDir'>,
  name = 'emulator',
): Promise<EmulatorChild> {
  const child = children.start({
    name,
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      ...profileArguments(options.profileDir, name),
      `${REPO_ROOT}bench/e2e/emulator-process.ts`,
      JSON.stringify(settings),
    ],
    readStdout: true,
    env: { ...process.env, LOG_LEVEL: options.logLevel === 'info' ? 'warn' : options.logLevel },
    logDir: options.logDir,
  });

  const line = await Promise.race([
    firstLineMatching(child, /^\{"url":/),
    exitAsFailure(child),
    timeout(`${name} did not print its URL within ${START_TIMEOUT_MS} ms; see ${child.logPath}`),
  ]);
  return { child, url: (JSON.parse(line) as { url: string }).url };
}

/**
 * Starts Redis (append-only, as the embedded runner does), the emulator, the launch function and
 * the worker, each its own process, and resolves once the function is ready and the worker has
 * subscribed to the master.
 */
export async function startProductStack(
  children: ChildSet,
  options: StackOptions,
): Promise<ProductStack> {
  const redis = await startEmbeddedRedis({ appendOnly: true });
  children.trackExternal(redis.pid);
  try {
    return await startProductChildren(children, options, redis);
  } catch (error) {
    await children.stopAll();
    await redis.stop();
    children.forgetExternal(redis.pid);
    throw error;
  }
}

async function startProductChildren(
  children: ChildSet,
  options: StackOptions,
  redis: EmbeddedRedis,
): Promise<ProductStack> {
  const emulator = await startEmulatorChild(children, options.emulator, options);
  const [port, workerPort] = [await freePort(), await freePort()];
  const redisPrefix = 'bench';
  const env = {
    ...process.env,
    REDIS_URL: redis.url,
    REDIS_PREFIX: redisPrefix,
    MESOS_MASTER: emulator.url,
    HOST: '127.0.0.1',
    PORT: String(port),
    WORKER_PORT: String(workerPort),
    LOG_LEVEL: options.logLevel,
  };

  const launchFunction = startProductChild(children, 'function', env, options);
  const worker = startProductChild(children, 'worker', env, options);
  const functionUrl = `http://127.0.0.1:${port}`;
  const workerHealthUrl = `http://127.0.0.1:${workerPort}/healthz`;

  await Promise.race([
    Promise.all([
      pollUntil(`${functionUrl}/readyz`, (status) => status === 200),
      pollUntil(workerHealthUrl, (status, body) => status === 200 && isSubscribed(body)),
    ]),
    exitAsFailure(launchFunction),
    exitAsFailure(worker),
  ]);

  return { redis, emulator, launchFunction, functionUrl, worker, workerHealthUrl, redisPrefix };
}

/** Stops the product's children and then Redis. */
export async function stopProductStack(children: ChildSet, stack: ProductStack): Promise<void> {
  await children.stopAll();
  await stack.redis.stop();
  children.forgetExternal(stack.redis.pid);
}

function startProductChild(
  children: ChildSet,
  part: 'function' | 'worker',
  env: NodeJS.ProcessEnv,
  options: StackOptions,
): Child {
  const entry = {
    dist: { function: 'dist/functions/node/server.js', worker: 'dist/worker/main.js' },
    tsx: { function: 'functions/node/server.ts', worker: 'worker/main.ts' },
  }[options.runtime][part];
  const loader = options.runtime === 'tsx' ? ['--import', 'tsx'] : [];

  return children.start({
    name: part,
    command: process.execPath,
    args: [
      ...loader,
      ...options.nodeOptions,
      ...profileArguments(options.profileDir, part),
      `${REPO_ROOT}${entry}`,
    ],
    env,
    logDir: options.logDir,
  });
}

/**
 * Profiles each child into its own folder under `profileDir`. Node names each file after its
 * pid and thread, so the tsx loader thread of a child gets a file beside the main thread's.
 */
function profileArguments(profileDir: string | undefined, name: string): string[] {
  return profileDir ? ['--cpu-prof', '--cpu-prof-dir', join(profileDir, name)] : [];
}

function isSubscribed(body: string): boolean {
  try {
    return (JSON.parse(body) as { subscribed?: boolean }).subscribed === true;
  } catch {
    return false;
  }
}

/** Polls `url` until `done` accepts an answer, and throws once START_TIMEOUT_MS has passed. */
async function pollUntil(
  url: string,
  done: (status: number, body: string) => boolean,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      const response = await request(url);
      const body = await response.body.text();
      if (done(response.statusCode, body)) {
        return;
      }
    } catch {
      // Not listening yet.
    }

    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }

  throw new Error(`${url} was not ready within ${START_TIMEOUT_MS} ms`);
}

function firstLineMatching(child: Child, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((candidate) => pattern.test(candidate));
      if (line !== undefined) {
        child.process.stdout?.off('data', onData);
        resolve(line);
      }
    };

    child.process.stdout?.on('data', onData);
  });
}

function timeout(message: string): Promise<never> {
  return new Promise((_resolve, reject) => {
    setTimeout(() => reject(new Error(message)), START_TIMEOUT_MS).unref();
  });
}
