import { Redis } from 'ioredis';
import { request } from 'undici';

/** Counters from Redis INFO: calls per command and socket reads (one per request batch). */
export interface RedisCounters {
  calls: Map<string, number>;
  /** `total_reads_processed`: reads from client sockets, so pipelined commands count once. */
  readsProcessed: number;
  commandsProcessed: number;
}

export async function readRedisCounters(socketPath: string): Promise<RedisCounters> {
  const redis = new Redis({ path: socketPath });
  try {
    const [commandStats, stats] = [await redis.info('commandstats'), await redis.info('stats')];
    return {
      calls: parseCommandStats(commandStats),
      readsProcessed: infoNumber(stats, 'total_reads_processed'),
      commandsProcessed: infoNumber(stats, 'total_commands_processed'),
    };
  } finally {
    redis.disconnect();
  }
}

/** Returns `after - before` for every counter. */
export function redisDelta(before: RedisCounters, after: RedisCounters): RedisCounters {
  const calls = new Map<string, number>();
  for (const [command, count] of after.calls) {
    const delta = count - (before.calls.get(command) ?? 0);
    if (delta > 0) {
      calls.set(command, delta);
    }
  }

  return {
    calls,
    readsProcessed: after.readsProcessed - before.readsProcessed,
    commandsProcessed: after.commandsProcessed - before.commandsProcessed,
  };
}

/** Parses lines such as `cmdstat_evalsha:calls=12,usec=345,...`. */
function parseCommandStats(info: string): Map<string, number> {
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    calls.set(match[1] as string, Number(match[2]));
  }

  return calls;
}

function infoNumber(info: string, field: string): number {
  const match = new RegExp(`^${field}:(\\d+)`, 'm').exec(info);
  return match ? Number(match[1]) : Number.NaN;
}

/** Scheduler calls the emulated master received, counted by call type. */
export async function readCallCounts(emulatorUrl: string): Promise<Map<string, number>> {
  const response = await request(`${emulatorUrl}/control/calls`);
  const entries = (await response.body.json()) as Array<{ type?: string }>;
  const counts = new Map<string, number>();
  for (const entry of entries) {
    const type = entry.type ?? 'undecoded';
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }

  return counts;
}

export async function clearCallLog(emulatorUrl: string): Promise<void> {
  const response = await request(`${emulatorUrl}/control/calls`, { method: 'DELETE' });
  await response.body.dump();
}

/** Offer cycles the worker ran and the offers it accepted and declined, from its /metrics. */
export interface WorkerCycleCounters {
  cycles: number;
  cycleSeconds: number;
  offersAccepted: number;
  offersDeclined: number;
  /** Launch jobs the worker took on first delivery, and their summed time in the queue. */
  jobsTaken: number;
  queueWaitSeconds: number;
  /** The worker's event-loop delay since the previous scrape: mean and p99, in seconds. */
  eventLoopDelayMean: number;
  eventLoopDelayP99: number;
}

export async function readWorkerCycleCounters(metricsUrl: string): Promise<WorkerCycleCounters> {
  const response = await request(metricsUrl);
  const text = await response.body.text();
  const sample = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? Number.NaN);

  return {
    cycles: sample(/^mesos_launch_worker_offer_cycle_seconds_count(?:\{[^}]*\})? (\S+)$/m),
    cycleSeconds: sample(/^mesos_launch_worker_offer_cycle_seconds_sum(?:\{[^}]*\})? (\S+)$/m),
    offersAccepted: sample(
      /^mesos_launch_worker_offers_total\{[^}]*result="accepted"[^}]*\} (\S+)$/m,
    ),
    offersDeclined: sample(
      /^mesos_launch_worker_offers_total\{[^}]*result="declined"[^}]*\} (\S+)$/m,
    ),
    jobsTaken: sample(/^mesos_launch_worker_queue_wait_seconds_count(?:\{[^}]*\})? (\S+)$/m),
    queueWaitSeconds: sample(/^mesos_launch_worker_queue_wait_seconds_sum(?:\{[^}]*\})? (\S+)$/m),
    eventLoopDelayMean: sample(/^mesos_launch_worker_nodejs_eventloop_lag_mean_seconds (\S+)$/m),
    eventLoopDelayP99: sample(/^mesos_launch_worker_nodejs_eventloop_lag_p99_seconds (\S+)$/m),
  };
}

/**
 * Returns the counters' growth from `before` to `after`; an absent one counts as 0 before. The
 * event-loop delay is taken from `after` alone, because prom-client restarts it at each scrape.
 */
export function cycleCounterDelta(
  before: WorkerCycleCounters | undefined,
  after: WorkerCycleCounters,
): WorkerCycleCounters {
  const grown = (name: keyof WorkerCycleCounters): number =>
    after[name] - (Number.isNaN(before?.[name] ?? Number.NaN) ? 0 : (before?.[name] ?? 0));

  return {
    cycles: grown('cycles'),
    cycleSeconds: grown('cycleSeconds'),
    offersAccepted: grown('offersAccepted'),
    offersDeclined: grown('offersDeclined'),
    jobsTaken: grown('jobsTaken'),
    queueWaitSeconds: grown('queueWaitSeconds'),
    eventLoopDelayMean: after.eventLoopDelayMean,
    eventLoopDelayP99: after.eventLoopDelayP99,
  };
}
