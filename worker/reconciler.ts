import type { Redis } from 'ioredis';
import type { RedisKeys } from '../shared/launch/keys.js';
import type { Logger } from '../shared/logger.js';
import { readActiveLaunches, type LaunchSnapshot } from './launch-records.js';
import type { PortLedger } from './port-ledger.js';
import { taskReference, type ReconcileTask, type SchedulerCalls } from './scheduler-calls.js';

export interface ReconcilerOptions {
  redis: Redis;
  keys: RedisKeys;
  calls: () => SchedulerCalls | undefined;
  ports: PortLedger;
  /** Called with the active launches read after each subscribe, before reconciling them. */
  onActiveLaunches: (launches: LaunchSnapshot[]) => void;
  /** The first delay between periodic reconciliations; it doubles up to `maxIntervalMs`. */
  baseIntervalMs: number;
  maxIntervalMs: number;
  /**
   * Minimum age of a LAUNCHING write before a periodic reconciliation queries its task. The
   * master may still be processing the ACCEPT of a younger one and would reply TASK_GONE.
   */
  launchingGraceMs: number;
  /** Tasks per RECONCILE call. */
  batchSize: number;
  logger: Logger;
}

/**
 * Reconciles the tasks of the launches in Redis with the master. After every (re)subscribe it
 * reads every active launch, rebuilds the ports in use, queries every task id explicitly
 * (so a task the master does not know comes back as TASK_GONE, TASK_UNKNOWN or TASK_LOST), then
 * sends an implicit reconciliation. It then repeats the explicit one with a doubling interval.
 * The replies arrive as UPDATE events and are recorded like any other update.
 */
export class Reconciler {
  #timer: NodeJS.Timeout | undefined;
  #intervalMs: number;
  #active = false;

  constructor(private readonly options: ReconcilerOptions) {
    this.#intervalMs = options.baseIntervalMs;
  }

  /**
   * Reconciles every active launch, then schedules the periodic reconciliation. It schedules it
   * even when this first one fails (Redis or the master unavailable for a moment), so that a
   * launch whose task the master never got does not stay LAUNCHING until the next subscribe.
   */
  async onSubscribed(): Promise<void> {
    this.stop();
    this.#active = true;
    this.#intervalMs = this.options.baseIntervalMs;

    try {
      await this.#reconcileAll();
    } finally {
      this.#schedule();
    }
  }

  async #reconcileAll(): Promise<void> {
    const launches = await readActiveLaunches(this.options.redis, this.options.keys);
    this.#rebuildPorts(launches);
    this.options.onActiveLaunches(launches);

    const tasks = reconcileTasks(launches, Number.POSITIVE_INFINITY);
    await this.#sendExplicit(tasks);
    await this.options.calls()?.reconcile([]);
    this.options.logger.info(
      { launches: launches.length, tasks: tasks.length },
      'reconciliation sent after subscribing',
    );
  }

  stop(): void {
    this.#active = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Asks about a few tasks now, e.g. those of an ACCEPT that failed. */
  async reconcileTasks(tasks: ReconcileTask[]): Promise<void> {
    await this.#sendExplicit(tasks);
  }

  #rebuildPorts(launches: LaunchSnapshot[]): void {
    this.options.ports.clear();
    for (const launch of launches) {
      if (launch.state !== 'QUEUED' && launch.agentId && launch.ports.length > 0) {
        const hostPorts = launch.ports.map((port) => port.host_port);
        this.options.ports.hold(launch.id, launch.agentId, hostPorts);
      }
    }
  }

  #schedule(): void {
    if (!this.#active) {
      return;
    }

    this.#timer = setTimeout(() => {
      this.#periodic()
        .catch((error: unknown) => {
          this.options.logger.warn({ err: error }, 'periodic reconciliation failed');
        })
        .finally(() => {
          this.#intervalMs = Math.min(this.#intervalMs * 2, this.options.maxIntervalMs);
          this.#schedule();
        });
    }, this.#intervalMs);
    this.#timer.unref();
  }

  async #periodic(): Promise<void> {
    const launches = await readActiveLaunches(this.options.redis, this.options.keys);
    const cutoffMs = Date.now() - this.options.launchingGraceMs;
    const tasks = reconcileTasks(launches, cutoffMs);
    await this.#sendExplicit(tasks);
    this.options.logger.debug({ tasks: tasks.length }, 'periodic reconciliation sent');
  }

  async #sendExplicit(tasks: ReconcileTask[]): Promise<void> {
    const calls = this.options.calls();
    if (!calls || tasks.length === 0) {
      return;
    }

    const batches: Promise<void>[] = [];
    for (let start = 0; start < tasks.length; start += this.options.batchSize) {
      batches.push(calls.reconcile(tasks.slice(start, start + this.options.batchSize)));
    }

    await Promise.all(batches);
  }
}

/**
 * Returns the tasks to query: those of every active launch with a task id that is not QUEUED. A
 * LAUNCHING one is included only when it was written before `launchingCutoffMs`.
 */
function reconcileTasks(launches: LaunchSnapshot[], launchingCutoffMs: number): ReconcileTask[] {
  const tasks: ReconcileTask[] = [];
  for (const launch of launches) {
    if (!launch.taskId || launch.state === 'QUEUED') {
      continue;
    }

    if (launch.state === 'LAUNCHING' && (launch.updatedAtMs ?? 0) > launchingCutoffMs) {
      continue;
    }

    tasks.push(taskReference(launch.taskId, launch.agentId));
  }

  return tasks;
}
