import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { Pool } from 'undici';
import { TERMINAL_LAUNCH_STATES } from '../../shared/launch/types.js';

export interface LoadOptions {
  functionUrl: string;
  redisSocketPath: string;
  statusChannel: string;
  launches: number;
  concurrency: number;
  /** Share of launches with bridge networking and one container port; the rest use host, no ports. */
  bridgeShare: number;
  /** The load stops waiting at this `performance.now()` time and returns what it has. */
  deadlineMs: number;
}

/** What the client side saw; times are `performance.now()` values in this process. */
export interface LoadResult {
  ids: string[];
  /** POSTs answered with anything but 202, or failed, by status ('error' for network errors). */
  rejected: Map<string, number>;
  running: number;
  /** Launches that ended in a terminal state before TASK_RUNNING, by state. */
  ended: Map<string, number>;
  startedAtMs: number;
  postsDoneAtMs: number;
  lastRunningAtMs: number;
  /** From sending each POST to receiving TASK_RUNNING on the status channel. */
  clientLatenciesMs: number[];
  timedOut: boolean;
}

const HOST_BODY = JSON.stringify({
  image: 'busybox:1.36',
  command: 'sleep 3600',
  network: 'host',
  cpus: 0.01,
  mem: 32,
});
const BRIDGE_BODY = JSON.stringify({
  image: 'busybox:1.36',
  command: 'httpd -f -p 8080',
  network: 'bridge',
  ports: [{ container_port: 8080 }],
  cpus: 0.01,
  mem: 32,
});

/** Per-launch bookkeeping shared by the POST loops and the status subscriber. */
class Tracker {
  readonly sentAtMs = new Map<string, number>();
  readonly runningAtMs = new Map<string, number>();
  readonly endedState = new Map<string, string>();
  settled = 0;
  lastRunningAtMs = 0;
  #onSettled: () => void = () => undefined;

  constructor(private readonly expected: number) {}

  readonly allSettled = new Promise<void>((resolve) => (this.#onSettled = resolve));

  onStatus(id: string, state: string, atMs: number): void {
    if (state === 'TASK_RUNNING' && !this.runningAtMs.has(id) && !this.endedState.has(id)) {
      this.runningAtMs.set(id, atMs);
      this.lastRunningAtMs = Math.max(this.lastRunningAtMs, atMs);
      this.#settleIfSent(id);
    } else if (TERMINAL_LAUNCH_STATES.includes(state) && !this.runningAtMs.has(id)) {
      this.endedState.set(id, state);
      this.#settleIfSent(id);
    }
  }

  onAccepted(id: string, sentAtMs: number): void {
    this.sentAtMs.set(id, sentAtMs);
    if (this.runningAtMs.has(id) || this.endedState.has(id)) {
      this.#count();
    }
  }

  /** Counts a POST that got no launch, so the run can end without it. */
  onRejected(): void {
    this.#count();
  }

  #settleIfSent(id: string): void {
    if (this.sentAtMs.has(id)) {
      this.#count();
    }
  }

  #count(): void {
    this.settled += 1;
    if (this.settled >= this.expected) {
      this.#onSettled();
    }
  }
}

/**
 * Submits `launches` POSTs over `concurrency` connections, each connection sending its next POST
 * when the previous one is answered, and waits on the status channel until every launch is
 * TASK_RUNNING or ended, or the deadline passes.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const tracker = new Tracker(options.launches);
  const subscriber = await subscribeToStatus(options, tracker);
  const pool = new Pool(options.functionUrl, { connections: options.concurrency, pipelining: 1 });
  const rejected = new Map<string, number>();

  try {
    const startedAtMs = performance.now();
    const posts = submitAll(pool, options, tracker, rejected);
    const postsDoneAtMs = await Promise.race([posts, sleepUntil(options.deadlineMs)]);
    const finished = await Promise.race([
      tracker.allSettled.then(() => true),
      sleepUntil(options.deadlineMs).then(() => false),
    ]);

    return summarize(tracker, rejected, { startedAtMs, postsDoneAtMs, timedOut: !finished });
  } finally {
    subscriber.disconnect();
    await pool.destroy();
  }
}

async function subscribeToStatus(options: LoadOptions, tracker: Tracker): Promise<Redis> {
  const subscriber = new Redis({ path: options.redisSocketPath });
  subscriber.on('message', (_channel: string, message: string) => {
    const atMs = performance.now();
    const { id, state } = JSON.parse(message) as { id: string; state: string };
    tracker.onStatus(id, state, atMs);
  });

  await subscriber.subscribe(options.statusChannel);
  return subscriber;
}

/** Resolves with the time the last POST was answered. */
async function submitAll(
  pool: Pool,
  options: LoadOptions,
  tracker: Tracker,
  rejected: Map<string, number>,
): Promise<number> {
  let next = 0;
  const bridgeEvery = options.bridgeShare > 0 ? Math.round(1 / options.bridgeShare) : 0;

  const loop = async (): Promise<void> => {
    while (next < options.launches && performance.now() < options.deadlineMs) {
      const index = next;
      next += 1;
      const body = bridgeEvery > 0 && index % bridgeEvery === 0 ? BRIDGE_BODY : HOST_BODY;
      await submitOne(pool, body, tracker, rejected);
    }
  };

  await Promise.all(Array.from({ length: options.concurrency }, loop));
  return performance.now();
}

async function submitOne(
  pool: Pool,
  body: string,
  tracker: Tracker,
  rejected: Map<string, number>,
): Promise<void> {
  const sentAtMs = performance.now();
  try {
    const response = await pool.request({
      path: '/v1/launches',
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await response.body.text();
    if (response.statusCode !== 202) {
      increment(rejected, String(response.statusCode));
      tracker.onRejected();
      return;
    }

    tracker.onAccepted((JSON.parse(text) as { id: string }).id, sentAtMs);
  } catch {
    increment(rejected, 'error');
    tracker.onRejected();
  }
}

function summarize(
  tracker: Tracker,
  rejected: Map<string, number>,
  times: { startedAtMs: number; postsDoneAtMs: number; timedOut: boolean },
): LoadResult {
  const ids = [...tracker.sentAtMs.keys()];
  const clientLatenciesMs: number[] = [];
  const ended = new Map<string, number>();
  for (const id of ids) {
    const runningAtMs = tracker.runningAtMs.get(id);
    if (runningAtMs !== undefined) {
      clientLatenciesMs.push(runningAtMs - (tracker.sentAtMs.get(id) ?? runningAtMs));
    }

    const state = tracker.endedState.get(id);
    if (state !== undefined) {
      increment(ended, state);
    }
  }

  return {
    ids,
    rejected,
    running: clientLatenciesMs.length,
    ended,
    lastRunningAtMs: tracker.lastRunningAtMs,
    clientLatenciesMs,
    ...times,
  };
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function sleepUntil(atMs: number): Promise<number> {
  return new Promise((resolve) => {
    setTimeout(() => resolve(performance.now()), Math.max(0, atMs - performance.now())).unref();
  });
}
