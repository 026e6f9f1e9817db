import { randomUUID } from 'node:crypto';
import type { MasterContext } from '../master/context.js';
import type { Agent, Task } from '../master/model.js';
import type { TimerHandle } from '../master/timers.js';
import type { NetworkInfo, TaskReason, TaskSource, TaskState } from '../mesos-types.js';
import { assignContainerAddress, containerNetworkInfos } from './container-network.js';
import { createDockerRunOptions } from './docker-run-options.js';
import { dockerInspectOutput } from './docker-inspect.js';

/** The status an executor sends. The agent adds uuid, ids, timestamp and container status. */
export interface ExecutorStatus {
  state: TaskState;
  source?: TaskSource;
  message?: string;
  reason?: TaskReason;
  data?: Uint8Array;
  networkInfos?: NetworkInfo[];
}

export interface ExecutorHost {
  readonly ctx: MasterContext;
  readonly agent: Agent;
  sendStatus(executor: TaskExecutor, status: ExecutorStatus): void;
}

/** Exit status of a container stopped by SIGTERM (128 + 15). */
const KILLED_EXIT_CODE = 143;

/**
 * Simulates the executor of one task: the Docker executor for DOCKER containers, otherwise
 * the command executor. It sends TASK_STARTING, then TASK_RUNNING after `taskStartDelayMs`
 * (or TASK_FAILED when `docker run` cannot start), and runs until it is killed or the control API ends it.
 */
export class TaskExecutor {
  latestState: TaskState = 'TASK_STAGING';
  readonly containerId = randomUUID();
  private phase: 'staging' | 'starting' | 'running' | 'terminated' = 'staging';
  private killed = false;
  private readonly timers = new Set<TimerHandle>();

  constructor(
    private readonly host: ExecutorHost,
    readonly task: Task,
    private readonly sendsKilling: boolean,
  ) {}

  get isDocker(): boolean {
    return this.task.info.container?.type === 'DOCKER';
  }

  get executorId(): string {
    return this.task.executorId ?? this.task.taskId;
  }

  launch(): void {
    this.later(this.host.ctx.options.taskLaunchDelayMs, () => this.start());
  }

  private start(): void {
    this.phase = 'starting';
    this.emit({ state: 'TASK_STARTING' });
    this.scheduleMaxCompletionTime();

    if (!this.isDocker) {
      this.later(this.startDelayMs(), () => this.run(undefined));
      return;
    }

    const runOptions = createDockerRunOptions(this.task.info);
    if (!runOptions.ok) {
      this.terminate('TASK_FAILED', `Failed to create docker run options: ${runOptions.error}`);
      return;
    }

    const address = assignContainerAddress(this.host.ctx, this.host.agent, runOptions.options);
    if (!address.ok) {
      this.later(this.startDelayMs(), () =>
        this.terminate('TASK_FAILED', this.exitMessage(address.exitCode)),
      );
      return;
    }

    const networkInfos =
      address.ip === undefined ? undefined : containerNetworkInfos(this.task.info, address.ip);
    const data = dockerInspectOutput(this, address.networkName, address.ip);
    this.later(this.startDelayMs(), () => this.run(networkInfos, data));
  }

  private run(networkInfos: NetworkInfo[] | undefined, data?: Uint8Array): void {
    if (this.killed || this.phase !== 'starting') {
      return;
    }
    this.phase = 'running';
    this.emit({
      state: 'TASK_RUNNING',
      ...(data !== undefined ? { data } : {}),
      ...(networkInfos !== undefined ? { networkInfos } : {}),
    });
  }

  /** Handles a KILL from the master, as the Docker and command executors do. */
  kill(): void {
    if (this.phase === 'terminated' || this.killed) {
      return;
    }

    if (this.phase === 'staging') {
      this.cancelTimers();
      this.phase = 'terminated';
      this.emit({
        state: 'TASK_KILLED',
        source: 'SOURCE_AGENT',
        reason: 'REASON_TASK_KILLED_DURING_LAUNCH',
        message: 'Killed before delivery to the executor',
      });
      return;
    }

    this.killed = true;
    if (this.sendsKilling) {
      this.emit({ state: 'TASK_KILLING' });
    }
    this.later(this.startDelayMs(), () => this.terminate('TASK_KILLED', this.killedMessage()));
  }

  /** Ends the task as if its process exited with `exitCode` (control API). */
  exit(exitCode: number, message?: string): boolean {
    if (this.phase === 'terminated' || this.phase === 'staging') {
      return false;
    }
    let state: TaskState = exitCode === 0 ? 'TASK_FINISHED' : 'TASK_FAILED';
    if (this.killed) {
      state = 'TASK_KILLED';
    }
    this.terminate(state, message ?? this.exitMessage(exitCode));
    return true;
  }

  /** Stops the simulation without sending anything (framework shutdown, agent removal). */
  shutdown(): void {
    this.cancelTimers();
    this.phase = 'terminated';
  }

  get running(): boolean {
    return this.phase === 'running';
  }

  private terminate(state: TaskState, message: string, reason?: TaskReason): void {
    if (this.phase === 'terminated') {
      return;
    }
    this.cancelTimers();
    this.phase = 'terminated';
    this.emit({ state, message, ...(reason !== undefined ? { reason } : {}) });
  }

  /** max_completion_time ends the task with TASK_FAILED, without TASK_KILLING. */
  private scheduleMaxCompletionTime(): void {
    const limit = this.task.info.max_completion_time;
    if (limit === undefined || BigInt(limit.nanoseconds) <= 0n) {
      return;
    }
    const delayMs = Number(BigInt(limit.nanoseconds) / 1_000_000n);
    this.later(delayMs, () =>
      this.terminate('TASK_FAILED', this.killedMessage(), 'REASON_MAX_COMPLETION_TIME_REACHED'),
    );
  }

  private exitMessage(exitCode: number): string {
    return `${this.isDocker ? 'Container' : 'Command'} exited with status ${exitCode}`;
  }

  private killedMessage(): string {
    return this.isDocker
      ? this.exitMessage(KILLED_EXIT_CODE)
      : 'Command terminated with signal Terminated';
  }

  private emit(status: ExecutorStatus): void {
    this.latestState = status.state;
    this.host.sendStatus(this, status);
  }

  private startDelayMs(): number {
    return this.host.ctx.options.taskStartDelayMs;
  }

  private later(delayMs: number, callback: () => void): void {
    const handle = this.host.ctx.timers.setTimeout(() => {
      this.timers.delete(handle);
      callback();
    }, delayMs);
    this.timers.add(handle);
  }

  private cancelTimers(): void {
    this.timers.forEach((timer) => timer.cancel());
    this.timers.clear();
  }
}
