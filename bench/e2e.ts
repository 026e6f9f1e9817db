/**
 * End-to-end launch benchmark. Starts Redis, the emulated master, the launch function and the
 * worker as separate processes on 127.0.0.1, submits launches over HTTP and waits until each is
 * TASK_RUNNING. Prints launches/s, POST-to-TASK_RUNNING percentiles from the launch histories,
 * the emulator's own ceiling measured in the same run, the ratio, the worker's peak RSS, Redis
 * commands per launch and the scheduler calls the master received. See bench/README.md.
 *
 * Run `npm run build` first (the default runtime is the built JavaScript), then
 * `npx tsx bench/e2e.ts --help`.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ChildSet } from './e2e/children.js';
import { figuresOf, formatRun, formatScaleTable, type RunFigures } from './e2e/report.js';
import { runOnce, type RunOptions } from './e2e/run.js';
import { REPO_ROOT, type Runtime } from './e2e/stack.js';

const HELP = `Usage: npx tsx bench/e2e.ts [options]

Options:
  --launches N                launches to submit (default 1000)
  --concurrency C             HTTP connections, each sending its next POST when the last is
                              answered (default 64)
  --agents A                  emulated agents, each cpus 64, mem 262144 MB, ports [31000-32000]
                              (default 100)
  --allocation-interval-ms MS the emulator's allocation interval (default 1000, as in Mesos)
  --scale                     run 100, 1000 and 10000 launches in turn, fresh processes each,
                              and print a table at the end (ignores --launches)
  --runtime dist|tsx          run the function and the worker from dist/ (default; needs
                              npm run build) or from the TypeScript sources through tsx
  --warmup W                  launches submitted and awaited before the measured ones, in the
                              same processes; their rate is printed as the cold figure
                              (default: as many as --launches; 0 measures the cold start)
  --bridge-share S            share of launches with bridge networking and one port; the rest
                              use host networking without ports (default 0.2)
  --timeout-seconds T         time limit of each run; the run then prints what finished
                              (default 60 + (launches + warm-up launches) / 50)
  --cpu-prof                  profile the function and the worker (node --cpu-prof) and print
                              their top self-time functions
  --node-options "OPTS"       extra node options for the function and the worker, split at
                              spaces; write --node-options="--max-old-space-size=256"
  --redis-monitor             record every Redis command during the load with redis-cli monitor
                              and print the commands clients sent per launch (slows Redis)
  --log-level LEVEL           LOG_LEVEL of the product processes (default info)
  --help                      print this help
`;

const SCALE_LAUNCHES = [100, 1_000, 10_000];

/** Time past a run's limit for start-up, history reads and shutdown before it is killed. */
const WATCHDOG_GRACE_MS = 120_000;

interface CommandLine {
  base: Omit<RunOptions, 'launches' | 'warmupLaunches' | 'timeoutMs'>;
  launches: number[];
  /** Undefined means a warm-up batch as large as the measured one. */
  warmupLaunches: number | undefined;
  timeoutSeconds: number | undefined;
}

function parseCommandLine(argv: string[]): CommandLine | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      launches: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '64' },
      agents: { type: 'string', default: '100' },
      'allocation-interval-ms': { type: 'string', default: '1000' },
      scale: { type: 'boolean', default: false },
      runtime: { type: 'string', default: 'dist' },
      'bridge-share': { type: 'string', default: '0.2' },
      warmup: { type: 'string' },
      'timeout-seconds': { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'info' },
      'node-options': { type: 'string', default: '' },
      'redis-monitor': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });

  if (values.help) {
    return undefined;
  }

  if (values.runtime !== 'dist' && values.runtime !== 'tsx') {
    throw new Error(`invalid --runtime '${values.runtime}': use dist or tsx`);
  }

  return {
    base: {
      concurrency: positive('--concurrency', values.concurrency),
      agents: positive('--agents', values.agents),
      allocationIntervalMs: positive('--allocation-interval-ms', values['allocation-interval-ms']),
      runtime: values.runtime as Runtime,
      bridgeShare: share('--bridge-share', values['bridge-share']),
      taskCpus: 0.01,
      taskMemMb: 32,
      cpuProfile: values['cpu-prof'],
      logLevel: values['log-level'],
      nodeOptions: values['node-options'].split(' ').filter(Boolean),
      redisMonitor: values['redis-monitor'],
    },
    launches: values.scale ? SCALE_LAUNCHES : [positive('--launches', values.launches)],
    warmupLaunches:
      values.warmup === undefined ? undefined : nonNegativeInteger('--warmup', values.warmup),
    timeoutSeconds:
      values['timeout-seconds'] === undefined
        ? undefined
        : positive('--timeout-seconds', values['timeout-seconds']),
  };
}

function positive(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`invalid ${flag} '${text}': expected a number above 0`);
  }

  return value;
}

function nonNegativeInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`invalid ${flag} '${text}': expected a whole number from 0`);
  }

  return value;
}

function share(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new Error(`invalid ${flag} '${text}': expected a number from 0 to 1`);
  }

  return value;
}

/** Throws when dist/ lacks the entries; warns when a source file is newer than the build. */
function checkBuild(): void {
  const buildInfo = join(REPO_ROOT, 'dist/.tsbuildinfo');
  if (!existsSync(join(REPO_ROOT, 'dist/worker/main.js')) || !existsSync(buildInfo)) {
    throw new Error('dist/ has no build: run `npm run build` first, or pass --runtime tsx');
  }

  const builtAtMs = statSync(buildInfo).mtimeMs;
  const stale = ['shared', 'functions', 'worker', 'emulator'].some((folder) =>
    newerThan(join(REPO_ROOT, folder), builtAtMs),
  );
  if (stale) {
    process.stderr.write('warning: sources changed after the last `npm run build`\n');
  }
}

function newerThan(path: string, timeMs: number): boolean {
  const stat = statSync(path);
  if (!stat.isDirectory()) {
    return path.endsWith('.ts') && stat.mtimeMs > timeMs;
  }

  return readdirSync(path).some((entry) => newerThan(join(path, entry), timeMs));
}

/** Ends every child on SIGINT or SIGTERM, then exits with 130. */
function installSignalHandlers(children: ChildSet): void {
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\n${signal}: stopping every child process\n`);
    setTimeout(() => {
      children.killAllNow();
      process.exit(130);
    }, 15_000).unref();
    void children.stopAll().finally(() => process.exit(130));
  };

  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

async function main(): Promise<void> {
  let commandLine: CommandLine | undefined;
  try {
    commandLine = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}; see --help\n`);
    process.exitCode = 2;
    return;
  }

  if (commandLine === undefined) {
    process.stdout.write(HELP);
    return;
  }

  if (commandLine.base.runtime === 'dist') {
    checkBuild();
  }

  const children = new ChildSet();
  installSignalHandlers(children);
  const figures: RunFigures[] = [];
  try {
    for (const launches of commandLine.launches) {
      const warmupLaunches = commandLine.warmupLaunches ?? launches;
      const timeoutMs =
        (commandLine.timeoutSeconds ?? 60 + (launches + warmupLaunches) / 50) * 1000;
      const watchdog = setTimeout(() => {
        process.stderr.write(`run of ${launches} launches overran its limit; killing children\n`);
        children.killAllNow();
        process.exit(1);
      }, timeoutMs + WATCHDOG_GRACE_MS);
      const report = await runOnce(children, {
        ...commandLine.base,
        launches,
        warmupLaunches,
        timeoutMs,
      });
      clearTimeout(watchdog);
      process.stdout.write(`${formatRun(report)}\n\n`);
      figures.push(figuresOf(report));
    }
  } finally {
    await children.stopAll();
  }

  if (figures.length > 1) {
    process.stdout.write(`${formatScaleTable(figures)}\n`);
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`e2e benchmark failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
}
