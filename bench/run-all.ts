/**
 * Runs every benchmark in turn, each in its own process, and prints their output under a heading.
 * Builds dist/ first, because the end-to-end benchmark runs the product from the built
 * JavaScript. Extra arguments go to bench/e2e.ts, e.g. `npm run bench -- --scale`.
 * Exits with status 1 when any benchmark failed, after running the rest.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

interface Benchmark {
  name: string;
  file: string;
  args: string[];
}

const BENCHMARKS: Benchmark[] = [
  { name: 'decode a large OFFERS event', file: 'bench/decode-offers.ts', args: [] },
  { name: 'match pending launches to offers', file: 'bench/matching.ts', args: [] },
  { name: 'emulated master alone', file: 'bench/emulator.ts', args: [] },
  { name: 'POST /v1/launches on the Node entry', file: 'bench/function-submit.ts', args: [] },
  { name: 'end to end', file: 'bench/e2e.ts', args: process.argv.slice(2) },
];

let interrupted = false;

/**
 * Runs a command with inherited output; resolves with its exit status. Ctrl-C reaches the child
 * from the terminal, so this process only waits for it to clean up; SIGTERM is passed on.
 */
function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: 'inherit' });
    const onInterrupt = (): void => {
      interrupted = true;
    };
    const onTerminate = (): void => {
      interrupted = true;
      child.kill('SIGTERM');
    };
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onTerminate);

    child.once('error', () => resolve(127));
    child.once('exit', (code, signal) => {
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onTerminate);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

async function main(): Promise<void> {
  const gb = (bytes: number): string => (bytes / 2 ** 30).toFixed(1);
  console.log(
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, ` +
      `${gb(totalmem())} GB memory (${gb(freemem())} GB free), node ${process.version}\n`,
  );

  const failed: string[] = [];
  if ((await run('npm', ['run', '--silent', 'build'])) !== 0) {
    failed.push('npm run build');
  }

  for (const benchmark of BENCHMARKS) {
    if (interrupted) {
      failed.push('interrupted');
      break;
    }

    console.log(`\n=== ${benchmark.name} (${benchmark.file}) ===`);
    if (!existsSync(`${REPO_ROOT}${benchmark.file}`)) {
      console.log(`skipped: ${benchmark.file} does not exist`);
      continue;
    }

    const status = await run(process.execPath, [
      '--import',
      'tsx',
      benchmark.file,
      ...benchmark.args,
    ]);
    if (status !== 0) {
      failed.push(`${benchmark.file} (exit status ${status})`);
    }
  }

  if (failed.length > 0) {
    console.log(`\nfailed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

await main();
