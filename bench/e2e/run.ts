import { mkdir, mkdtemp, readdir, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { redisKeys } from '../../shared/launch/keys.js';
import { measureCeiling, type CeilingResult } from './ceiling.js';
import { readCpuMs, readProcStatusKb, type ChildSet } from './children.js';
import type { EmulatorProcessSettings } from './emulator-process.js';
import { readHistoryLatencies, type HistoryLatencies } from './histories.js';
import { runLoad, type LoadResult } from './load.js';
import { startRedisMonitor, summarizeRedisMonitor } from './redis-monitor.js';
import { summarizeProfile, type ProfileSummary } from './profile-summary.js';
import {
  clearCallLog,
  readCallCounts,
  readRedisCounters,
  readWorkerCycleCounters,
  cycleCounterDelta,
  redisDelta,
  type RedisCounters,
  type WorkerCycleCounters,
} from './server-stats.js';
import {
  startEmulatorChild,
  startProductStack,
  stopProductStack,
  type ProductStack,
  type Runtime,
} from './stack.js';

export interface RunOptions {
  launches: number;
  /** Launches submitted and awaited before the measured ones, to warm up the processes. */
  warmupLaunches: number;
  concurrency: number;
  agents: number;
  allocationIntervalMs: number;
  runtime: Runtime;
  bridgeShare: number;
  taskCpus: number;
  taskMemMb: number;
  timeoutMs: number;
  cpuProfile: boolean;
  logLevel: string;
  /** Extra node options for the function and the worker. */
  nodeOptions: string[];
  /** Records every Redis command during the load with `redis-cli monitor` (slows Redis). */
  redisMonitor: boolean;
}

/** Peak resident set sizes (VmHWM) in kB, read just before the processes stop. */
export interface PeakMemory {
  workerKb: number | undefined;
  /** Worker VmRSS sampled every RSS_SAMPLE_INTERVAL_MS during the measured load. */
  workerSamples: Array<{ atMs: number; rssKb: number }>;
  functionKb: number | undefined;
  emulatorKb: number | undefined;
}

export interface RunReport {
  options: RunOptions;
  /** `os.loadavg()` when the run started: other work on the machine skews the figures. */
  loadAverage: number[];
  runDir: string;
  ceiling: CeilingResult;
  /** The warm-up batch, sent to the same processes before the measured one; absent without it. */
  warmup: LoadResult | undefined;
  load: LoadResult;
  histories: HistoryLatencies;
  redis: RedisCounters;
  calls: Map<string, number>;
  cycles: WorkerCycleCounters | undefined;
  memory: PeakMemory;
  /** Commands clients sent during the load, from MONITOR; empty without `redisMonitor`. */
  monitoredCommands: Map<string, number>;
  /** CPU time (user + system) each process used from the first POST to the last TASK_RUNNING. */
  cpuMs: Map<string, number>;
  profiles: Array<{ file: string; summary: ProfileSummary }>;
}

/** Agents large enough that every task of a 10,000-launch run fits at once. */
function emulatorSettings(options: RunOptions): EmulatorProcessSettings {
  return {
    agents: options.agents,
    cpus: 64,
    memMb: 262_144,
    firstPort: 31_000,
    lastPort: 32_000,
    allocationIntervalMs: options.allocationIntervalMs,
    callLogLimit: (options.launches + options.warmupLaunches) * 4 + 10_000,
  };
}

/**
 * Runs one measurement with fresh processes: first the emulator's ceiling on its own emulator,
 * then the product (Redis, emulator, function, worker) under the load. Every child is stopped
 * before it returns, on success or failure.
 */
export async function runOnce(children: ChildSet, options: RunOptions): Promise<RunReport> {
  const deadlineMs = performance.now() + options.timeoutMs;
  const loadAverage = loadavg();
  const runDir = await mkdtemp(join(tmpdir(), `mesos-launch-e2e-${options.launches}-`));
  const settings = emulatorSettings(options);
  const profileDir = options.cpuProfile ? join(runDir, 'profiles') : undefined;
  if (profileDir) {
    await mkdir(profileDir);
  }

  const ceiling = await runCeiling(children, options, settings, { runDir, profileDir }, deadlineMs);

  const stack = await startProductStack(children, {
    runtime: options.runtime,
    emulator: settings,
    logDir: runDir,
    profileDir,
    logLevel: options.logLevel,
    nodeOptions: options.nodeOptions,
  });

  let measured: ProductMeasurements;
  try {
    measured = await measureProduct(children, stack, options, { runDir, deadlineMs });
  } finally {
    // The children write their CPU profiles as they exit, so they stop before the summary.
    await stopProductStack(children, stack);
  }

  const profiles = profileDir ? await summarizeProfiles(profileDir) : [];
  return { options, loadAverage, runDir, ceiling, ...measured, profiles };
}

async function runCeiling(
  children: ChildSet,
  options: RunOptions,
  settings: EmulatorProcessSettings,
  dirs: { runDir: string; profileDir: string | undefined },
  deadlineMs: number,
): Promise<CeilingResult> {
  const emulator = await startEmulatorChild(
    children,
    settings,
    { logDir: dirs.runDir, logLevel: options.logLevel, profileDir: dirs.profileDir },
    'emulator-ceiling',
  );

  try {
    return await measureCeiling({
      emulatorUrl: emulator.url,
      emulatorPid: emulator.child.pid,
      launches: options.launches,
      bridgeShare: options.bridgeShare,
      cpus: options.taskCpus,
      memMb: options.taskMemMb,
      deadlineMs: Math.min(deadlineMs, performance.now() + options.timeoutMs / 2),
    });
  } finally {
    await children.stop(emulator.child);
  }
}

type ProductMeasurements = Omit<
  RunReport,
  'options' | 'loadAverage' | 'runDir' | 'ceiling' | 'profiles'
>;

async function measureProduct(
  children: ChildSet,
  stack: ProductStack,
  options: RunOptions,
  run: { runDir: string; deadlineMs: number },
): Promise<ProductMeasurements> {
  const { runDir, deadlineMs } = run;
  const loadOptions = {
    functionUrl: stack.functionUrl,
    redisSocketPath: stack.redis.socketPath,
    statusChannel: redisKeys(stack.redisPrefix).statusChannel,
    concurrency: options.concurrency,
    bridgeShare: options.bridgeShare,
    deadlineMs,
  };
  const warmup =
    options.warmupLaunches > 0
      ? await runLoad({ ...loadOptions, launches: options.warmupLaunches })
      : undefined;

  const metricsUrl = stack.workerHealthUrl.replace(/\/healthz$/, '/metrics');
  await clearCallLog(stack.emulator.url);
  const cyclesBefore = await readWorkerCycleCounters(metricsUrl).catch(() => undefined);
  const redisBefore = await readRedisCounters(stack.redis.socketPath);
  const cpuBefore = await readCpuTimes(stack);
  const monitor = options.redisMonitor
    ? startRedisMonitor(children, stack.redis.socketPath, runDir)
    : undefined;
  const sampler = sampleRss(stack.worker.pid);
  const load = await runLoad({ ...loadOptions, launches: options.launches });
  const workerSamples = sampler.stop();
  if (monitor) {
    await children.stop(monitor);
  }

  const cpuAfter = await readCpuTimes(stack);
  const cpuMs = new Map([...cpuAfter].map(([name, ms]) => [name, ms - (cpuBefore.get(name) ?? 0)]));
  const redis = redisDelta(redisBefore, await readRedisCounters(stack.redis.socketPath));
  const calls = await readCallCounts(stack.emulator.url);
  const cycles = await readWorkerCycleCounters(metricsUrl)
    .then((after) => cycleCounterDelta(cyclesBefore, after))
    .catch(() => undefined);
  const memory = { ...(await readPeakMemory(stack)), workerSamples };
  const histories = await readHistoryLatencies(
    stack.functionUrl,
    load.ids,
    Math.min(options.concurrency, 32),
  );

  const monitoredCommands = monitor ? await summarizeRedisMonitor(runDir) : new Map();
  return { warmup, load, histories, redis, calls, cycles, memory, cpuMs, monitoredCommands };
}

async function readCpuTimes(stack: ProductStack): Promise<Map<string, number>> {
  const processes: Array<[string, number]> = [
    ['worker', stack.worker.pid],
    ['function', stack.launchFunction.pid],
    ['emulator', stack.emulator.child.pid],
    ['redis-server', stack.redis.pid],
  ];
  const times = new Map<string, number>();
  for (const [name, pid] of processes) {
    times.set(name, (await readCpuMs(pid)) ?? Number.NaN);
  }

  const own = process.cpuUsage();
  times.set('benchmark client', (own.user + own.system) / 1000);
  return times;
}

const RSS_SAMPLE_INTERVAL_MS = 250;

/** Samples a process's VmRSS until `stop()`; times are ms since the sampling started. */
function sampleRss(pid: number): { stop(): Array<{ atMs: number; rssKb: number }> } {
  const samples: Array<{ atMs: number; rssKb: number }> = [];
  const startedAtMs = performance.now();
  const timer = setInterval(() => {
    void readProcStatusKb(pid, 'VmRSS').then((rssKb) => {
      if (rssKb !== undefined) {
        samples.push({ atMs: performance.now() - startedAtMs, rssKb });
      }
    });
  }, RSS_SAMPLE_INTERVAL_MS);

  return {
    stop: () => {
      clearInterval(timer);
      return samples;
    },
  };
}

async function readPeakMemory(stack: ProductStack): Promise<Omit<PeakMemory, 'workerSamples'>> {
  return {
    workerKb: await readProcStatusKb(stack.worker.pid, 'VmHWM'),
    functionKb: await readProcStatusKb(stack.launchFunction.pid, 'VmHWM'),
    emulatorKb: await readProcStatusKb(stack.emulator.child.pid, 'VmHWM'),
  };
}

/**
 * Summarises the main-thread profile of each child: the largest file in its folder, because the
 * tsx loader thread of a child also writes one.
 */
async function summarizeProfiles(
  profileDir: string,
): Promise<Array<{ file: string; summary: ProfileSummary }>> {
  const summaries = [];
  for (const child of (await readdir(profileDir)).sort()) {
    const folder = join(profileDir, child);
    const files = await Promise.all(
      (await readdir(folder))
        .filter((file) => file.endsWith('.cpuprofile'))
        .map(async (file) => ({
          path: join(folder, file),
          size: (await stat(join(folder, file))).size,
        })),
    );
    const main = files.sort((a, b) => b.size - a.size)[0];
    if (main !== undefined) {
      summaries.push({
        file: `${child} (${main.path})`,
        summary: await summarizeProfile(main.path),
      });
    }
  }

  return summaries;
}
