import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, createWriteStream, openSync, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** A child process started by the benchmark, killed by its pid when the run ends. */
export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  /** The file that receives the child's stdout and stderr. */
  logPath: string;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Folder for `<name>.log`. */
  logDir: string;
  /**
   * Passes stdout through this process, for a child whose output the benchmark reads. Otherwise
   * the child writes straight to its log file, so its logging costs the benchmark nothing.
   */
  readStdout?: boolean;
}

const STOP_GRACE_MS = 10_000;

/**
 * Every process the benchmark started, in start order. `stopAll` ends them newest first, each by
 * its pid: SIGTERM, then SIGKILL when it has not exited after a grace period. A process `exit`
 * hook sends SIGKILL to any still alive, so no child outlives a crashed benchmark.
 */
export class ChildSet {
  readonly #children: Child[] = [];
  /** Pids of processes started by someone else (the embedded redis-server), killed at exit. */
  readonly #externalPids = new Set<number>();

  constructor() {
    process.on('exit', () => this.killAllNow());
  }

  start(options: SpawnOptions): Child {
    const logPath = join(options.logDir, `${options.name}.log`);
    const logFd = options.readStdout ? undefined : openSync(logPath, 'w');
    const child = spawn(options.command, options.args, {
      env: options.env,
      stdio: logFd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', logFd, logFd],
    });

    if (logFd === undefined) {
      pipeOutput(child, createWriteStream(logPath));
    } else {
      closeSync(logFd);
    }

    if (child.pid === undefined) {
      throw new Error(`failed to start ${options.name}: ${options.command} has no pid`);
    }

    const started = { name: options.name, pid: child.pid, process: child, logPath };
    this.#children.push(started);
    return started;
  }

  trackExternal(pid: number): void {
    this.#externalPids.add(pid);
  }

  forgetExternal(pid: number): void {
    this.#externalPids.delete(pid);
  }

  /** Stops one child, waits for it to exit and forgets its pid. */
  async stop(child: Child): Promise<void> {
    await stopChild(child);
    const index = this.#children.indexOf(child);
    if (index >= 0) {
      this.#children.splice(index, 1);
    }
  }

  /** Stops every child newest first and waits for each to exit. */
  async stopAll(): Promise<void> {
    while (this.#children.length > 0) {
      const child = this.#children.pop() as Child;
      await stopChild(child);
    }
  }

  /** Sends SIGKILL to every process still tracked and running, without waiting. */
  killAllNow(): void {
    const running = this.#children.filter((child) => child.process.exitCode === null);
    const pids = [...running.map((child) => child.pid), ...this.#externalPids];
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}

function pipeOutput(child: ChildProcess, log: WriteStream): void {
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  child.once('exit', () => setTimeout(() => log.end(), 100));
}

/** Sends SIGTERM to the child's pid and SIGKILL after the grace period; resolves on exit. */
async function stopChild(child: Child): Promise<void> {
  const { process: handle } = child;
  if (handle.exitCode !== null || handle.signalCode !== null) {
    return;
  }

  const exited = new Promise<void>((resolve) => handle.once('exit', () => resolve()));
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // Exited meanwhile.
    }
  }, STOP_GRACE_MS);

  await exited;
  clearTimeout(timer);
}

/** Rejects as soon as the child exits, naming it and its log, so a crash ends the run early. */
export function exitAsFailure(child: Child): Promise<never> {
  return new Promise((_resolve, reject) => {
    child.process.once('exit', (code, signal) => {
      reject(
        new Error(
          `${child.name} (pid ${child.pid}) exited with ${signal ?? `code ${code}`}; see ${child.logPath}`,
        ),
      );
    });
  });
}

/** Returns a TCP port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));

  if (address === null || typeof address === 'string') {
    throw new Error('failed to find a free TCP port on 127.0.0.1');
  }

  return address.port;
}

/** Reads a `/proc/<pid>/status` field in kB, e.g. VmHWM (peak RSS) or VmRSS. */
export async function readProcStatusKb(pid: number, field: string): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Clock ticks per second of /proc/<pid>/stat times; 100 on Linux (USER_HZ) on common architectures. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Reads the user plus system CPU time a process has used so far, in ms. */
export async function readCpuMs(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in brackets and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const userTicks = Number(fields[11]);
    const systemTicks = Number(fields[12]);
    return ((userTicks + systemTicks) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
