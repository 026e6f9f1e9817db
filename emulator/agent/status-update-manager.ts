import { isTerminalState, taskKey } from '../master/model.js';
import type { TimerHandle, TimerRegistry } from '../master/timers.js';
import type { TaskStatus } from '../mesos-types.js';

interface UpdateStream {
  readonly frameworkId: string;
  readonly taskId: string;
  /** Updates not yet acknowledged; the head is the one in flight. */
  readonly pending: TaskStatus[];
  readonly acknowledged: Set<string>;
  retryMs: number;
  timer: TimerHandle | undefined;
}

export interface StatusUpdateManagerOptions {
  timers: TimerRegistry;
  retryMinMs: number;
  retryMaxMs: number;
  /** Sends one update towards the master; called again for every resend. */
  forward(frameworkId: string, status: TaskStatus): void;
  /** Called when a task's terminal update is acknowledged and its stream is gone. */
  onStreamClosed(frameworkId: string, taskId: string): void;
}

/**
 * The agent's task status update manager (`src/slave/task_status_update_manager.cpp`): one
 * update per task in flight until its ACK, the next one sent on ACK, and the unacknowledged
 * head resent after `retryMinMs`, doubling up to `retryMaxMs`.
 */
export class StatusUpdateManager {
  private readonly streams = new Map<string, UpdateStream>();

  constructor(private readonly options: StatusUpdateManagerOptions) {}

  /** Queues an update that carries a uuid; sends it at once when nothing is in flight. */
  update(frameworkId: string, status: TaskStatus): void {
    const key = taskKey(frameworkId, status.task_id.value);
    let stream = this.streams.get(key);
    if (stream === undefined) {
      stream = {
        frameworkId,
        taskId: status.task_id.value,
        pending: [],
        acknowledged: new Set(),
        retryMs: this.options.retryMinMs,
        timer: undefined,
      };
      this.streams.set(key, stream);
    }

    stream.pending.push(status);
    if (stream.pending.length === 1) {
      this.send(stream, this.options.retryMinMs);
    }
  }

  /**
   * Handles an ACK. Only the uuid of the update in flight counts; a duplicate or unexpected
   * uuid changes nothing, as on a real agent.
   */
  acknowledge(frameworkId: string, taskId: string, uuid: Uint8Array): void {
    const key = taskKey(frameworkId, taskId);
    const stream = this.streams.get(key);
    const head = stream?.pending[0];
    const uuidHex = Buffer.from(uuid).toString('hex');
    if (stream === undefined || head === undefined || stream.acknowledged.has(uuidHex)) {
      return;
    }
    if (Buffer.from(head.uuid ?? []).toString('hex') !== uuidHex) {
      return;
    }

    stream.timer?.cancel();
    stream.timer = undefined;
    stream.acknowledged.add(uuidHex);
    stream.pending.shift();

    if (isTerminalState(head.state)) {
      this.streams.delete(key);
      this.options.onStreamClosed(frameworkId, taskId);
      return;
    }
    if (stream.pending.length > 0) {
      this.send(stream, this.options.retryMinMs);
    }
  }

  /** Resends the head update of each of the framework's streams now. */
  resume(frameworkId: string): void {
    for (const stream of this.streams.values()) {
      if (stream.frameworkId === frameworkId && stream.pending.length > 0) {
        stream.timer?.cancel();
        this.send(stream, this.options.retryMinMs);
      }
    }
  }

  /** Drops the framework's streams without sending anything more. */
  removeFramework(frameworkId: string): void {
    for (const [key, stream] of this.streams) {
      if (stream.frameworkId === frameworkId) {
        stream.timer?.cancel();
        this.streams.delete(key);
      }
    }
  }

  hasStream(frameworkId: string, taskId: string): boolean {
    return this.streams.has(taskKey(frameworkId, taskId));
  }

  stop(): void {
    for (const stream of this.streams.values()) {
      stream.timer?.cancel();
    }
    this.streams.clear();
  }

  private send(stream: UpdateStream, retryMs: number): void {
    const head = stream.pending[0];
    if (head === undefined) {
      return;
    }

    stream.retryMs = retryMs;
    stream.timer = this.options.timers.setTimeout(() => this.resend(stream), retryMs);
    this.options.forward(stream.frameworkId, head);
  }

  private resend(stream: UpdateStream): void {
    stream.timer = undefined;
    const next = Math.min(stream.retryMs * 2, this.options.retryMaxMs);
    this.send(stream, next);
  }
}
