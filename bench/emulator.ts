/**
 * Throughput of the emulated master itself, so that benchmarks of the product can state the
 * emulator's ceiling. It runs in this process with 100 agents and a 10 ms allocation interval,
 * driven over HTTP (protobuf) by a minimal scheduler that also runs here, so the figures
 * include the driver's own cost. Prints:
 *
 * - offers/s: offers received while every offer is declined at once with refuse_seconds 0;
 * - launches/s: small tasks (cpus 0.01, mem 4) accepted and acknowledged until TASK_RUNNING.
 *
 * Run with `npx tsx bench/emulator.ts`. The figures depend on the machine; compare runs on
 * the same one.
 */
import { performance } from 'node:perf_hooks';
import { Pool, request } from 'undici';
import { defaultAgents, startEmulator, type Emulator } from '../emulator/index.js';
import {
  RecordIoDecoder,
  decodeEvent,
  encodeCall,
  type Call,
  type Event,
  type Offer,
  type TaskInfo,
} from '../shared/mesos/index.js';
import { createLogger } from '../shared/logger.js';

const AGENT_COUNT = 100;
const ALLOCATION_INTERVAL_MS = 10;
const OFFER_PHASE_MS = 3000;
const LAUNCH_TARGET = 20_000;
const LAUNCH_PHASE_LIMIT_MS = 30_000;
const CONTENT_TYPE = 'application/x-protobuf';

interface BenchScheduler {
  frameworkId: string;
  streamId: string;
  pool: Pool;
  send(call: Omit<Call, 'framework_id'>): void;
  close(): Promise<void>;
}

/** Subscribes and passes every event from SUBSCRIBED on, the first offers included, to `handler`. */
async function subscribe(
  emulator: Emulator,
  name: string,
  handler: (scheduler: BenchScheduler, event: Event) => void,
): Promise<BenchScheduler> {
  const abort = new AbortController();
  const response = await request(emulator.schedulerUrl, {
    method: 'POST',
    headers: { 'content-type': CONTENT_TYPE, accept: CONTENT_TYPE },
    body: encodeCall(
      { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'root', name } } },
      CONTENT_TYPE,
    ),
    bodyTimeout: 0,
    signal: abort.signal,
  });
  const streamId = String(response.headers['mesos-stream-id']);
  const pool = new Pool(emulator.url, { connections: 32, pipelining: 1 });
  const pending: Event[] = [];
  const state: { scheduler?: BenchScheduler } = {};
  let frameworkId = '';
  let subscribed: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (subscribed = resolve));

  void (async () => {
    const decoder = new RecordIoDecoder();
    try {
      for await (const chunk of response.body) {
        for (const record of decoder.push(chunk as Buffer)) {
          const event = decodeEvent(record, CONTENT_TYPE);
          if (event.type === 'SUBSCRIBED') {
            frameworkId = event.subscribed!.framework_id.value;
            subscribed();
          }
          if (state.scheduler === undefined) {
            pending.push(event);
          } else {
            handler(state.scheduler, event);
          }
        }
      }
    } catch {
      // The benchmark aborts the stream when it is done.
    }
  })();
  await ready;

  const send = (call: Omit<Call, 'framework_id'>): void => {
    const body = encodeCall(
      { ...call, framework_id: { value: frameworkId } } as Call,
      CONTENT_TYPE,
    );
    void pool
      .request({
        path: '/api/v1/scheduler',
        method: 'POST',
        headers: { 'content-type': CONTENT_TYPE, 'mesos-stream-id': streamId },
        body,
      })
      .then((reply) => reply.body.dump());
  };

  const scheduler: BenchScheduler = {
    frameworkId,
    streamId,
    pool,
    send,
    close: async () => {
      abort.abort();
      await pool.close();
    },
  };
  state.scheduler = scheduler;
  pending.splice(0).forEach((event) => handler(scheduler, event));
  return scheduler;
}

async function measureOffers(emulator: Emulator): Promise<number> {
  let offers = 0;
  let counting = true;
  const scheduler = await subscribe(emulator, 'bench-offers', (self, event) => {
    const batch = event.offers?.offers ?? [];
    if (batch.length === 0) {
      return;
    }
    if (counting) {
      offers += batch.length;
    }
    self.send({
      type: 'DECLINE',
      decline: { offer_ids: batch.map((offer) => offer.id), filters: { refuse_seconds: 0 } },
    });
  });

  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, OFFER_PHASE_MS));
  counting = false;
  const elapsedMs = performance.now() - started;
  scheduler.send({ type: 'TEARDOWN' });
  await scheduler.close();
  return offers / (elapsedMs / 1000);
}

function smallTask(offer: Offer, index: number): TaskInfo {
  return {
    name: `bench-${index}`,
    task_id: { value: `bench-${index}` },
    agent_id: offer.agent_id,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.01 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 4 } },
    ],
    command: { value: 'sleep 3600' },
    container: { type: 'DOCKER', docker: { image: 'busybox', network: 'BRIDGE' } },
  };
}

/** Returns how many small tasks fit into an offer. */
function taskCapacity(offer: Offer): number {
  const scalar = (name: string): number =>
    offer.resources?.find((resource) => resource.name === name)?.scalar?.value ?? 0;
  return Math.min(Math.floor(scalar('cpus') / 0.01 + 1e-9), Math.floor(scalar('mem') / 4));
}

async function measureLaunches(
  emulator: Emulator,
): Promise<{ perSecond: number; running: number }> {
  let launched = 0;
  let running = 0;
  let firstAcceptAt = 0;
  let lastRunningAt = 0;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));

  const scheduler = await subscribe(emulator, 'bench-launches', (self, event) => {
    if (event.type === 'OFFERS') {
      for (const offer of event.offers?.offers ?? []) {
        const count = Math.min(taskCapacity(offer), LAUNCH_TARGET - launched);
        const tasks = Array.from({ length: count }, (_unused, i) => smallTask(offer, launched + i));
        launched += count;
        firstAcceptAt ||= performance.now();
        self.send({
          type: 'ACCEPT',
          accept: {
            offer_ids: [offer.id],
            operations: count > 0 ? [{ type: 'LAUNCH', launch: { task_infos: tasks } }] : [],
            filters: { refuse_seconds: 0 },
          },
        });
      }
      return;
    }

    const status = event.update?.status;
    if (status?.uuid !== undefined) {
      self.send({
        type: 'ACKNOWLEDGE',
        acknowledge: { agent_id: status.agent_id!, task_id: status.task_id, uuid: status.uuid },
      });
    }
    if (status?.state === 'TASK_RUNNING') {
      running += 1;
      lastRunningAt = performance.now();
      if (running >= LAUNCH_TARGET) {
        finish();
      }
    }
  });

  await Promise.race([done, new Promise((resolve) => setTimeout(resolve, LAUNCH_PHASE_LIMIT_MS))]);
  await scheduler.close();
  const elapsedMs = Math.max(1, lastRunningAt - firstAcceptAt);
  return { perSecond: running / (elapsedMs / 1000), running };
}

async function main(): Promise<void> {
  const emulator = await startEmulator({
    agents: defaultAgents(AGENT_COUNT),
    allocationIntervalMs: ALLOCATION_INTERVAL_MS,
    taskStartDelayMs: 0,
    logger: createLogger('emulator', { level: 'silent' }),
  });

  try {
    const offersPerSecond = await measureOffers(emulator);
    const launches = await measureLaunches(emulator);
    process.stdout.write(
      [
        `emulator: ${AGENT_COUNT} agents, allocation interval ${ALLOCATION_INTERVAL_MS} ms, protobuf, driver in the same process`,
        `offers/s    ${offersPerSecond.toFixed(0)}  (every offer declined with refuse_seconds 0)`,
        `launches/s  ${launches.perSecond.toFixed(0)}  (${launches.running} tasks of cpus 0.01, mem 4 acknowledged to TASK_RUNNING)`,
        '',
      ].join('\n'),
    );
  } finally {
    await emulator.stop();
  }
}

await main();
