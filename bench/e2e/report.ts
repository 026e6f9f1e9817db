import { cpus } from 'node:os';
import type { CeilingBatch } from './ceiling.js';
import { formatSummary } from './profile-summary.js';
import { quantile } from './histories.js';
import type { LoadResult } from './load.js';
import type { RunReport } from './run.js';
import type { WorkerCycleCounters } from './server-stats.js';

const PROFILE_TOP = 20;

/** Figures of one run that the scale summary and the README table use. */
export interface RunFigures {
  launches: number;
  running: number;
  launchesPerSecond: number;
  /** The rate of the warm-up batch in fresh processes; NaN without a warm-up. */
  coldLaunchesPerSecond: number;
  ceilingPerSecond: number;
  ratio: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  workerPeakMb: number;
}

export function figuresOf(report: RunReport): RunFigures {
  const { load, histories, ceiling, memory } = report;
  const launchesPerSecond = loadRate(load);

  return {
    launches: report.options.launches,
    running: load.running,
    launchesPerSecond,
    coldLaunchesPerSecond: report.warmup ? loadRate(report.warmup) : Number.NaN,
    ceilingPerSecond: ceiling.warm.perSecond,
    ratio: ceiling.warm.perSecond > 0 ? launchesPerSecond / ceiling.warm.perSecond : Number.NaN,
    p50Ms: quantile(histories.queuedToRunningMs, 0.5),
    p95Ms: quantile(histories.queuedToRunningMs, 0.95),
    p99Ms: quantile(histories.queuedToRunningMs, 0.99),
    workerPeakMb: (memory.workerKb ?? Number.NaN) / 1024,
  };
}

/** Returns launches that reached TASK_RUNNING per second, from the first POST to the last of them. */
function loadRate(load: LoadResult): number {
  const elapsedMs = load.lastRunningAtMs - load.startedAtMs;
  return elapsedMs > 0 ? load.running / (elapsedMs / 1000) : 0;
}

export function formatRun(report: RunReport): string {
  const { options, load, histories, ceiling } = report;
  const figures = figuresOf(report);
  const postSeconds = (load.postsDoneAtMs - load.startedAtMs) / 1000;
  const lines = [
    `end to end: ${options.launches} launches` +
      `${options.warmupLaunches > 0 ? ` after ${options.warmupLaunches} warm-up launches` : ''}, ` +
      `${options.concurrency} connections, ` +
      `${options.agents} agents, allocation interval ${options.allocationIntervalMs} ms, ` +
      `runtime ${options.runtime}, node ${process.version}, ` +
      `load average ${report.loadAverage.map((value) => value.toFixed(2)).join(' ')} before the run`,
    load.timedOut
      ? `  TIMED OUT after ${options.timeoutMs / 1000} s: figures cover what finished`
      : '',
    `  POSTs                 ${load.ids.length} answered 202 in ${postSeconds.toFixed(2)} s ` +
      `(${(load.ids.length / postSeconds).toFixed(0)}/s)${formatCounts(' non-202', load.rejected)}`,
    `  TASK_RUNNING          ${load.running} of ${options.launches}${formatCounts(' ended', load.ended)}`,
    `  launches/s            ${figures.launchesPerSecond.toFixed(0)}  (first POST to last TASK_RUNNING, ` +
      `${((load.lastRunningAtMs - load.startedAtMs) / 1000).toFixed(2)} s)`,
    report.warmup ? `    warm-up (cold)      ${formatWarmup(report.warmup)}` : '',
    `  POST->TASK_RUNNING    ${formatQuantiles(histories.queuedToRunningMs)}  (history timestamps)`,
    `    QUEUED->LAUNCHING   ${formatQuantiles(histories.queuedToLaunchingMs)}`,
    `    LAUNCHING->RUNNING  ${formatQuantiles(histories.launchingToRunningMs)}`,
    `    client-observed     ${formatQuantiles(load.clientLatenciesMs)}  (POST sent to TASK_RUNNING on the status channel)`,
    `  emulator ceiling      ${formatCeiling(ceiling.warm)}` +
      `${ceiling.failedCalls > 0 ? `; ${ceiling.failedCalls} failed calls` : ''}`,
    `    first batch (cold)  ${formatCeiling(ceiling.cold)}`,
    `    CPU ms per task     emulator ${ceiling.warmCpuMsPerTask.emulator.toFixed(2)}, ` +
      `minimal scheduler ${ceiling.warmCpuMsPerTask.scheduler.toFixed(2)} (warm batch, REVIVE to last TASK_RUNNING)`,
    `  product / ceiling     ${figures.ratio.toFixed(3)}`,
    `  peak RSS (VmHWM)      worker ${figures.workerPeakMb.toFixed(0)} MB, function ${mb(report.memory.functionKb)} MB, ` +
      `emulator ${mb(report.memory.emulatorKb)} MB`,
    `  worker RSS (VmRSS)    ${formatRssSamples(report)}`,
    `  CPU ms per launch     ${formatCpu(report)}`,
    ...formatServerStats(report),
    `  logs                  ${report.runDir}`,
  ];

  for (const profile of report.profiles) {
    lines.push('', formatSummary(profile.file, profile.summary, PROFILE_TOP));
  }

  return lines.filter((line) => line !== '').join('\n');
}

function formatWarmup(warmup: LoadResult): string {
  return (
    `${loadRate(warmup).toFixed(0)} launches/s  (${warmup.running} of ${warmup.ids.length} in fresh ` +
    `processes; client-observed ${formatQuantiles(warmup.clientLatenciesMs)})`
  );
}

function formatCeiling(batch: CeilingBatch): string {
  return (
    `${batch.perSecond.toFixed(0)} launches/s  (${batch.running} tasks, first offers to last ` +
    `TASK_RUNNING in ${batch.elapsedMs.toFixed(0)} ms, ${batch.accepts} ACCEPTs` +
    `${batch.timedOut ? ', timed out' : ''})`
  );
}

function formatMonitored(report: RunReport, launches: number): string[] {
  if (report.monitoredCommands.size === 0) {
    return [];
  }

  const top = [...report.monitoredCommands.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
  return [
    '    sent by clients (redis-cli monitor; Lua-internal commands left out), per launch:',
    ...top.map(
      ([command, count]) => `      ${(count / launches).toFixed(2).padStart(6)}  ${command}`,
    ),
  ];
}

function formatServerStats(report: RunReport): string[] {
  const launches = Math.max(1, report.load.ids.length);
  const perLaunch = (value: number): string => (value / launches).toFixed(2);
  const commands = [...report.redis.calls.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([command, count]) => `${command} ${perLaunch(count)}`)
    .join(', ');
  const calls = [...report.calls.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([type, count]) => `${type} ${count}`)
    .join(', ');
  const accepts = report.calls.get('ACCEPT') ?? 0;
  const cycles = report.cycles;

  return [
    `  Redis per launch      ${perLaunch(report.redis.commandsProcessed)} commands, ` +
      `${perLaunch(report.redis.readsProcessed)} socket reads (all clients)`,
    `    by command          ${commands}`,
    ...formatMonitored(report, launches),
    `  scheduler calls       ${calls}`,
    `    tasks per ACCEPT    ${accepts > 0 ? (report.load.running / accepts).toFixed(1) : 'n/a'}`,
    ...(cycles ? formatWorkerCounters(cycles) : []),
  ];
}

function formatWorkerCounters(counters: WorkerCycleCounters): string[] {
  const milliseconds = (seconds: number, count = 1): string =>
    ((seconds / Math.max(1, count)) * 1000).toFixed(1);

  return [
    `  worker offer cycles   ${counters.cycles}, mean ${milliseconds(counters.cycleSeconds, counters.cycles)} ms; ` +
      `offers accepted ${counters.offersAccepted}, declined ${counters.offersDeclined}`,
    `  worker queue wait     mean ${milliseconds(counters.queueWaitSeconds, counters.jobsTaken)} ms ` +
      `(launch created to job taken, ${counters.jobsTaken} jobs)`,
    `  worker event loop     delay mean ${milliseconds(counters.eventLoopDelayMean)} ms, ` +
      `p99 ${milliseconds(counters.eventLoopDelayP99)} ms (prom-client, during the load)`,
  ];
}

export function formatScaleTable(all: RunFigures[]): string {
  const header =
    '| launches | TASK_RUNNING | launches/s | cold launches/s | ceiling/s | ratio | p50 ms | p95 ms | p99 ms | worker peak RSS MB |';
  const rows = all.map(
    (f) =>
      `| ${f.launches} | ${f.running} | ${f.launchesPerSecond.toFixed(0)} | ` +
      `${Number.isNaN(f.coldLaunchesPerSecond) ? 'n/a' : f.coldLaunchesPerSecond.toFixed(0)} | ` +
      `${f.ceilingPerSecond.toFixed(0)} | ` +
      `${f.ratio.toFixed(3)} | ${f.p50Ms.toFixed(0)} | ${f.p95Ms.toFixed(0)} | ${f.p99Ms.toFixed(0)} | ` +
      `${f.workerPeakMb.toFixed(0)} |`,
  );

  return [header, '|---|---|---|---|---|---|---|---|---|---|', ...rows].join('\n');
}

function formatRssSamples(report: RunReport): string {
  const samples = report.memory.workerSamples;
  const last = samples[samples.length - 1];
  if (last === undefined) {
    return 'n/a';
  }

  const peak = samples.reduce((max, sample) => (sample.rssKb > max.rssKb ? sample : max));
  return (
    `max ${mb(peak.rssKb)} MB at ${(peak.atMs / 1000).toFixed(1)} s, ` +
    `${mb(last.rssKb)} MB at ${(last.atMs / 1000).toFixed(1)} s (sampled every 250 ms during the load)`
  );
}

/** Formats CPU per launch of each process and the share of the machine's cores they used. */
function formatCpu(report: RunReport): string {
  const launches = Math.max(1, report.load.running);
  const elapsedMs = report.load.lastRunningAtMs - report.load.startedAtMs;
  let totalMs = 0;
  const parts = [...report.cpuMs.entries()].map(([name, ms]) => {
    totalMs += ms;
    return `${name} ${(ms / launches).toFixed(2)}`;
  });
  const cores = cpus().length;
  const busy = elapsedMs > 0 ? totalMs / (elapsedMs * cores) : Number.NaN;

  return `${parts.join(', ')}; all together ${(busy * 100).toFixed(0)}% of ${cores} cores`;
}

function formatQuantiles(values: readonly number[]): string {
  if (values.length === 0) {
    return 'n/a';
  }

  const at = (q: number): string => quantile(values, q).toFixed(0);
  return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms (n=${values.length})`;
}

function formatCounts(label: string, counts: Map<string, number>): string {
  if (counts.size === 0) {
    return '';
  }

  return `;${label}: ${[...counts.entries()].map(([key, count]) => `${key} ${count}`).join(', ')}`;
}

function mb(kb: number | undefined): string {
  return kb === undefined ? 'n/a' : (kb / 1024).toFixed(0);
}
