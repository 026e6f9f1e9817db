import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { testRedisOptions } from '../support/redis.js';
import { waitFor } from '../worker/support/launches.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A process started by a test, with what it wrote so far. */
interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
const childPids: number[] = [];

/** Runs `command args` in the repository with `environment` added; stdout and stderr are joined. */
function start(command: string, args: string[], environment: NodeJS.ProcessEnv): Started {
  const cleanEnvironment = { ...process.env };
  delete cleanEnvironment.npm_lifecycle_event;
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { ...cleanEnvironment, LOG_LEVEL: 'info', PORT: '0', WORKER_PORT: '0', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);

  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, output: () => output, exited };
}

function startEntry(entry: string, environment: NodeJS.ProcessEnv): Started {
  return start(process.execPath, ['--import', 'tsx', entry], environment);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Reads a pid the runner logged, e.g. that of its redis-server, and remembers it for cleanup. */
async function loggedPid(started: Started, pattern: RegExp, what: string): Promise<number> {
  const pid = await waitFor(() => {
    const match = pattern.exec(started.output());
    return match ? Number(match[1]) : undefined;
  }, what);
  childPids.push(pid);
  return pid;
}

function redisPid(started: Started): Promise<number> {
  return loggedPid(started, /"pid":(\d+),"msg":"started private redis-server"/, 'redis-server');
}

async function running(started: Started): Promise<void> {
  await waitFor(
    () => (started.output().includes('mesos-launch is running') ? true : undefined),
    'the runner to start everything',
    20_000,
  );
}

afterEach(() => {
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
  }

  for (const pid of childPids.splice(0).filter(isAlive)) {
    process.kill(pid, 'SIGTERM');
  }
});

describe('start-up with a bad configuration', () => {
  it.each(['functions/node/main.ts', 'worker/main.ts', 'run/embedded.ts'])(
    '%s prints one line naming the variable',
    async (entry) => {
      const started = startEntry(entry, {
        LOG_LEVEL: 'loud',
        REDIS_URL: `unix://${testRedisOptions().path ?? ''}`,
        MESOS_MASTER: '127.0.0.1:1',
      });

      expect(await started.exited).toBe(2);
      expect(started.output()).toMatch(
        /^mesos-launch \w+: invalid configuration: LOG_LEVEL: .+\n$/,
      );
    },
  );
});

describe('runner of npm start', () => {
  let taken: Server | undefined;

  afterEach(async () => {
    taken?.close();
    taken = undefined;
  });

  it('exits and stops redis-server when its port is taken', async () => {
    taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const port = (taken.address() as { port: number }).port;

    const started = startEntry('run/embedded.ts', { PORT: String(port) });
    const pid = await redisPid(started);

    expect(await started.exited).toBe(1);
    expect(started.output()).toMatch(/mesos-launch start: listen EADDRINUSE.+PORT/);
    expect(isAlive(pid)).toBe(false);
  });

  it('stops everything on SIGHUP', async () => {
    const started = startEntry('run/embedded.ts', {});
    const pid = await redisPid(started);
    await running(started);

    started.child.kill('SIGHUP');

    expect(await started.exited).toBe(0);
    expect(isAlive(pid)).toBe(false);
  });

  it('stops everything when the npm shell dies', async () => {
    const runner = `"${process.execPath}" --import tsx run/embedded.ts`;
    const command = `${runner} & echo "runner pid $!"; wait`;
    const shell = start('bash', ['-c', command], { npm_lifecycle_event: 'start' });
    const runnerPid = await loggedPid(shell, /runner pid (\d+)/, 'the runner pid');
    const pid = await redisPid(shell);
    await running(shell);

    shell.child.kill('SIGKILL');

    await waitFor(() => (isAlive(runnerPid) ? undefined : true), 'the runner to exit');
    expect(isAlive(pid)).toBe(false);
  });
});
