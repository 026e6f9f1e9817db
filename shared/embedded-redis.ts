import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Options for a private `redis-server` started by this process. */
export interface EmbeddedRedisOptions {
  /** Keep an append-only file in the data folder. @defaultValue false */
  appendOnly?: boolean;
  /** How long to wait for "ready to accept connections". @defaultValue 10000 */
  startTimeoutMs?: number;
  /** The `redis-server` executable. @defaultValue 'redis-server' from the PATH */
  executable?: string;
  /**
   * Start the server in a process group of its own, so that a Ctrl-C in the terminal reaches only
   * the caller, which then stops the server after the parts that still need it. @defaultValue false
   */
  ownProcessGroup?: boolean;
}

/** A running private `redis-server` that listens on a unix socket only. */
export interface EmbeddedRedis {
  socketPath: string;
  dataDir: string;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` in a new temporary folder, listening on a unix socket and no TCP port,
 * so that parallel runs never race for a port. Resolves once the server logs that it is ready.
 */
export async function startEmbeddedRedis(
  options: EmbeddedRedisOptions = {},
): Promise<EmbeddedRedis> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mesos-launch-redis-'));
  const socketPath = join(dataDir, 'redis.sock');
  const args = buildServerArguments(dataDir, socketPath, options.appendOnly ?? false);

  const child = spawn(options.executable ?? 'redis-server', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownProcessGroup ?? false,
  });

  try {
    await waitUntilReady(child, options.startTimeoutMs ?? 10_000);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  return {
    socketPath,
    dataDir,
    url: `redis+unix://${socketPath}`,
    pid: child.pid ?? -1,
    stop: () => stopServer(child, dataDir),
  };
}

function buildServerArguments(dataDir: string, socketPath: string, appendOnly: boolean): string[] {
  return [
    '--port',
    '0',
    '--unixsocket',
    socketPath,
    '--unixsocketperm',
    '700',
    '--dir',
    dataDir,
    '--save',
    '',
    '--appendonly',
    appendOnly ? 'yes' : 'no',
    '--maxmemory-policy',
    'noeviction',
    '--daemonize',
    'no',
  ];
}

function waitUntilReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';

    const timer = setTimeout(() => {
      finish(
        new Error(`redis-server did not become ready within ${timeoutMs} ms: ${output.trim()}`),
      );
    }, timeoutMs);

    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (/ready to accept connections/i.test(output)) {
        finish();
      }
    };

    const onError = (error: NodeJS.ErrnoException): void => {
      const hint =
        error.code === 'ENOENT'
          ? 'redis-server is not on the PATH; run scripts/ensure-redis.sh to install it'
          : error.message;
      finish(new Error(`failed to start redis-server: ${hint}`));
    };

    const onExit = (code: number | null): void => {
      finish(
        new Error(`redis-server exited with code ${code} before it was ready: ${output.trim()}`),
      );
    };

    function finish(error?: Error): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('error', onError);
      child.off('exit', onExit);
      child.stdout?.resume();
      child.stderr?.resume();
      if (error) {
        reject(error);
      } else {
        resolve();
      }
    }

    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', onError);
    child.once('exit', onExit);
  });
}

async function stopServer(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const forceKill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(forceKill);
  }

  await rm(dataDir, { recursive: true, force: true });
}
