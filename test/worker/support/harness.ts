import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../../../shared/config.js';
import { redisKeys, type RedisKeys } from '../../../shared/launch/keys.js';
import { LaunchStore } from '../../../shared/launch/store.js';
import type { LaunchJobData, LaunchStatus } from '../../../shared/launch/types.js';
import { createLogger } from '../../../shared/logger.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../../emulator/index.js';
import type { WorkerTuning } from '../../../worker/tuning.js';
import { startWorker, type WorkerHandle } from '../../../worker/worker.js';
import { createTestRedis, testRedisOptions, uniquePrefix } from '../../support/redis.js';
import { createLaunchQueue, launchRequest, waitFor } from './launches.js';

const silent = createLogger('test', { level: 'silent' });

/** Short timings so that failover, suppression and expiry happen within a test. */
export const TEST_TUNING: Partial<WorkerTuning> = {
  leaseTtlMs: 1_500,
  leaseRenewIntervalMs: 300,
  leasePollIntervalMs: 100,
  jobConcurrency: 1_000,
  reconcileBaseIntervalMs: 500,
  reconcileMaxIntervalMs: 2_000,
  launchingGraceMs: 1_000,
  suppressDelayMs: 200,
  minReviveIntervalMs: 100,
  expiryIntervalMs: 100,
  subscribeBackoff: { initialMs: 50, maxMs: 500 },
  heartbeatMissFactor: 3,
  requestTimeoutMs: 5_000,
};

export interface HarnessOptions {
  contentType: 'protobuf' | 'json';
  emulator?: EmulatorOptions;
  attempts?: number;
  refuseSeconds?: number;
  offerHoldSeconds?: number;
  failoverTimeoutSeconds?: number;
}

/** An emulated master, a key prefix of its own, a launch store and the workers of one test. */
export class WorkerHarness {
  readonly prefix = uniquePrefix('worker');
  readonly keys: RedisKeys;
  readonly redis: Redis;
  readonly queue: Queue<LaunchJobData>;
  readonly store: LaunchStore;
  readonly workers: WorkerHandle[] = [];
  emulator!: Emulator;
  config!: Config;

  private constructor(private readonly options: HarnessOptions) {
    this.keys = redisKeys(this.prefix);
    this.redis = createTestRedis();
    this.queue = createLaunchQueue(this.keys);
    this.store = new LaunchStore({
      redis: this.redis,
      keys: this.keys,
      queue: this.queue,
      jobOptions: { removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } },
    });
  }

  static async start(options: HarnessOptions): Promise<WorkerHarness> {
    const harness = new WorkerHarness(options);
    harness.emulator = await startEmulator({
      allocationIntervalMs: 50,
      heartbeatIntervalSeconds: 1,
      statusUpdateRetryMs: 300,
      statusUpdateRetryMaxMs: 1_000,
      logger: silent,
      ...options.emulator,
    });
    harness.config = harness.buildConfig();
    await harness.redis.ping();
    return harness;
  }

  private buildConfig(): Config {
    return {
      mesos: {
        masters: [this.emulator.url],
        contentType: this.options.contentType,
        credentials: undefined,
        role: '*',
      },
      framework: {
        name: 'mesos-launch',
        user: 'root',
        failoverTimeoutSeconds: this.options.failoverTimeoutSeconds ?? 604_800,
      },
      redis: { url: undefined, prefix: this.prefix },
      http: { host: '127.0.0.1', port: 0, workerPort: 0 },
      apiTokens: [],
      forwardSecret: undefined,
      launch: {
        attempts: this.options.attempts ?? 3,
        timeoutSeconds: 600,
        refuseSeconds: this.options.refuseSeconds ?? 5,
        offerHoldSeconds: this.options.offerHoldSeconds ?? 2,
      },
      logLevel: 'silent',
    };
  }

  async startWorker(workerId: string, tuning: Partial<WorkerTuning> = {}): Promise<WorkerHandle> {
    const worker = await startWorker(this.config, {
      redis: testRedisOptions(),
      workerId,
      logger: silent,
      tuning: { ...TEST_TUNING, ...tuning },
    });
    this.workers.push(worker);
    return worker;
  }

  async submit(body: Record<string, unknown> = {}): Promise<string> {
    const result = await this.store.createLaunch({
      request: launchRequest(body),
      requestSha256: 'test',
    });
    return result.id;
  }

  async read(id: string): Promise<LaunchStatus> {
    const status = await this.store.readLaunch(id);
    if (!status) {
      throw new Error(`launch ${id} not found`);
    }

    return status;
  }

  /** Waits until the launch reaches `state`, and returns its status. */
  async waitForState(id: string, state: string, timeoutMs = 15_000): Promise<LaunchStatus> {
    return waitFor(
      async () => {
        const status = await this.read(id);
        return status.state === state ? status : undefined;
      },
      `launch ${id} to reach ${state}`,
      timeoutMs,
    );
  }

  /** Returns the types of the calls the emulator received, in order. */
  callTypes(): string[] {
    return this.emulator.control.calls().flatMap((call) => (call.type ? [call.type] : []));
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop()));
    await this.emulator.stop();
    await this.queue.obliterate({ force: true }).catch(() => undefined);
    await this.queue.close();
    await this.redis.quit();
  }
}

/** Waits until a worker is active and subscribed. */
export async function waitForSubscribed(worker: WorkerHandle): Promise<void> {
  await waitFor(() => (worker.state().subscribed ? true : undefined), 'worker to subscribe');
}
