import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** What a finished command-line run wrote and how it exited. */
export interface CliRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON lines. */
  lines: Array<Record<string, unknown>>;
}

const running = new Set<ChildProcess>();

/**
 * Starts `cli/main.ts` under tsx as a child process. `onLine` receives each stdout JSON line as it
 * arrives, with the child, so a test can act on it (e.g. send SIGINT).
 */
export function runCliProcess(
  argv: string[],
  options: {
    environment?: NodeJS.ProcessEnv;
    onLine?: (line: Record<string, unknown>, child: ChildProcess) => void;
  } = {},
): Promise<CliRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...argv], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...options.environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);

  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const line of parseJsonLines(complete)) {
      options.onLine?.(line, child);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });

  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      running.delete(child);
      resolve({ exitCode, signal, stdout, stderr, lines: parseJsonLines(stdout.split('\n')) });
    });
  });
}

/** Parses the lines that contain a JSON object; others, such as help text, are skipped. */
function parseJsonLines(texts: string[]): Array<Record<string, unknown>> {
  return texts
    .filter((text) => text.startsWith('{'))
    .map((text) => JSON.parse(text) as Record<string, unknown>);
}

/** Kills, by pid, every child this module started that is still running. */
export function killRunningCliProcesses(): void {
  for (const child of running) {
    child.kill('SIGKILL');
  }
  running.clear();
}
