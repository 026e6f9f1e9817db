import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LaunchStore } from '../../shared/launch/store.js';
import type { Logger } from '../../shared/logger.js';
import type { RequestObservation } from '../app.js';
import type { MetricsText } from '../backend.js';
import type { LaunchQueue } from './launch-queue.js';

/** Figures the gauges read from Redis at each scrape. */
interface RedisSnapshot {
  up: boolean;
  activeByState: Record<string, number>;
  launches: number;
  jobsByState: Record<string, number>;
}

export interface FunctionMetrics {
  observeRequest(observation: RequestObservation): void;
  countSubmission(created: boolean): void;
  render(): Promise<MetricsText>;
}

export interface FunctionMetricsOptions {
  store: LaunchStore;
  queue: LaunchQueue;
  logger?: Logger;
}

/**
 * Creates the Prometheus metrics of the launch function in a registry of its own: HTTP requests
 * by route and status, active launches by state, the queue depth by job state, and whether Redis
 * responded to the scrape. When Redis does not respond, `mesos_launch_redis_up` is 0 and the
 * Redis gauges are left out instead of failing the scrape.
 */
export function createFunctionMetrics(options: FunctionMetricsOptions): FunctionMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mesos_launch_function_' });

  const requests = new Counter({
    name: 'mesos_launch_http_requests_total',
    help: 'HTTP requests served, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'mesos_launch_http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method and route pattern',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const submissions = new Counter({
    name: 'mesos_launch_submissions_total',
    help: 'Launch submissions accepted by this process; result is created or existing (Idempotency-Key)',
    labelNames: ['result'],
    registers: [registry],
  });

  registerRedisGauges(registry, createSnapshotReader(options));

  return {
    observeRequest: ({ method, route, status, durationSeconds }) => {
      requests.inc({ method, route, status: String(status) });
      durations.observe({ method, route }, durationSeconds);
    },
    countSubmission: (created) => submissions.inc({ result: created ? 'created' : 'existing' }),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}

function registerRedisGauges(registry: Registry, readSnapshot: () => Promise<RedisSnapshot>): void {
  new Gauge({
    name: 'mesos_launch_redis_up',
    help: '1 when Redis responded to the last scrape, else 0',
    registers: [registry],
    async collect() {
      this.set((await readSnapshot()).up ? 1 : 0);
    },
  });

  new Gauge({
    name: 'mesos_launch_active_launches',
    help: 'Launches that have not ended, by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [state, count] of Object.entries((await readSnapshot()).activeByState)) {
        this.set({ state }, count);
      }
    },
  });

  new Gauge({
    name: 'mesos_launch_launches',
    help: 'Launch records in Redis, ended or not',
    registers: [registry],
    async collect() {
      const snapshot = await readSnapshot();
      this.reset();
      if (snapshot.up) {
        this.set(snapshot.launches);
      }
    },
  });

  new Gauge({
    name: 'mesos_launch_queue_jobs',
    help: 'Jobs in the BullMQ launch queue, by job state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [state, count] of Object.entries((await readSnapshot()).jobsByState)) {
        this.set({ state }, count);
      }
    },
  });
}

/** Reads Redis once for all gauges of one scrape, however many ask at the same time. */
function createSnapshotReader(options: FunctionMetricsOptions): () => Promise<RedisSnapshot> {
  let inFlight: Promise<RedisSnapshot> | undefined;

  return () => {
    inFlight ??= readRedisSnapshot(options).finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}

async function readRedisSnapshot(options: FunctionMetricsOptions): Promise<RedisSnapshot> {
  try {
    const [activeByState, launches, jobsByState] = await Promise.all([
      options.store.countActiveByState(),
      options.store.countLaunches(),
      options.store.runGuarded('count queued jobs', () => options.queue.getJobCounts()),
    ]);
    return { up: true, activeByState, launches, jobsByState };
  } catch (err) {
    options.logger?.warn({ err }, 'metrics scrape could not read Redis');
    return { up: false, activeByState: {}, launches: 0, jobsByState: {} };
  }
}
