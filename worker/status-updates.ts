import { TERMINAL_TASK_STATES } from '../shared/launch/types.js';
import type { Logger } from '../shared/logger.js';
import type { AgentID, TaskStatus } from '../shared/mesos/types.js';
import type { WorkerMetrics } from './metrics.js';
import type { LaunchOutcome, PendingLaunches } from './pending-launches.js';
import type { PortLedger } from './port-ledger.js';
import type { SchedulerCalls } from './scheduler-calls.js';
import type { RecordedStatus, StatusRecorder } from './status-recorder.js';

export interface StatusUpdatesOptions {
  recorder: StatusRecorder;
  calls: () => SchedulerCalls | undefined;
  pending: PendingLaunches;
  ports: PortLedger;
  metrics: WorkerMetrics;
  logger: Logger;
}

/**
 * Handles UPDATE events. Updates that arrive in the same tick form one batch: their records are
 * written in one Redis pipeline, then each update that carries a uuid is acknowledged with its
 * exact bytes, all acknowledgements in flight at once. An update is never acknowledged before
 * its write succeeded, so after a failed write the agent sends it again.
 */
export class StatusUpdates {
  #batch: TaskStatus[] = [];
  #scheduled = false;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(private readonly options: StatusUpdatesOptions) {}

  push(status: TaskStatus): void {
    this.#batch.push(status);
    if (this.#scheduled) {
      return;
    }

    this.#scheduled = true;
    setImmediate(() => this.#flushBatch());
  }

  /** Resolves once every update pushed so far was recorded and its acknowledgement sent. */
  async drain(): Promise<void> {
    while (this.#scheduled || this.#inFlight.size > 0) {
      await Promise.all([...this.#inFlight, new Promise((resolve) => setImmediate(resolve))]);
    }
  }

  #flushBatch(): void {
    const batch = this.#batch;
    this.#batch = [];
    this.#scheduled = false;

    const work = this.#handleBatch(batch)
      .catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'failed to handle status updates');
      })
      .finally(() => this.#inFlight.delete(work));
    this.#inFlight.add(work);
  }

  async #handleBatch(batch: TaskStatus[]): Promise<void> {
    let recorded: RecordedStatus[];
    try {
      recorded = await this.options.recorder.recordAll(batch);
    } catch (error) {
      this.options.logger.error(
        { err: error, updates: batch.length },
        'failed to record task status updates; they stay unacknowledged and Mesos sends them again',
      );
      return;
    }

    const acknowledgements = recorded.map((update) => {
      this.#log(update);
      this.#act(update);
      return this.#acknowledge(update.status);
    });
    await Promise.all(acknowledgements);
  }

  #log(update: RecordedStatus): void {
    const { status } = update;
    this.options.metrics.statusUpdates.inc({ state: update.state, outcome: update.outcome });
    this.options.logger.info(
      {
        taskID: update.taskId,
        status: update.state,
        source: status.source ?? '',
        reason: status.reason ?? '',
        containerStatus: status.container_status ?? {},
        launchId: update.launchId,
        agentId: status.agent_id?.value,
      },
      'received task status',
    );
  }

  async #acknowledge(status: TaskStatus): Promise<void> {
    if (!status.uuid || status.uuid.length === 0) {
      return;
    }

    const agentId = status.agent_id?.value;
    const calls = this.options.calls();
    if (!agentId || !calls) {
      this.options.logger.warn(
        { taskId: status.task_id.value, agentId },
        'cannot acknowledge a status update now; the agent sends it again',
      );
      return;
    }

    try {
      await calls.acknowledge(status.agent_id as AgentID, status.task_id, status.uuid);
      this.options.metrics.acknowledgements.inc({ result: 'sent' });
    } catch (error) {
      this.options.metrics.acknowledgements.inc({ result: 'failed' });
      this.options.logger.warn(
        { err: error, taskId: status.task_id.value, agentId },
        'failed to acknowledge a status update; the agent sends it again',
      );
    }
  }

  #act(update: RecordedStatus): void {
    switch (update.outcome) {
      case 'recorded':
        this.#onRecorded(update);
        return;
      case 'retry':
        this.#onRetry(update);
        return;
      case 'gave-up':
        this.#onGaveUp(update);
        return;
      case 'unchanged':
      case 'duplicate':
        this.#killIfRequested(update);
        if (update.state === update.launchState) {
          this.#settleFromState(update);
        }
        return;
      case 'unknown-launch':
      case 'stale-task':
      case 'after-terminal':
        this.#killStray(update);
        return;
      case 'foreign-task':
        this.options.logger.warn(
          { taskId: update.taskId, state: update.state },
          'status update for a task id this product does not create',
        );
        return;
      default:
        return;
    }
  }

  #onRecorded(update: RecordedStatus): void {
    this.#killIfRequested(update);
    this.#settleFromState(update);
  }

  /** Ends the launch's job once its current task runs or ended. */
  #settleFromState(update: RecordedStatus): void {
    const launchId = update.launchId ?? '';

    if (update.launchState === 'TASK_RUNNING') {
      this.options.pending.settle(launchId, {
        kind: 'running',
        state: update.launchState,
        taskId: update.taskId,
      });
      return;
    }

    if (isTerminal(update.launchState)) {
      this.options.ports.release(launchId);
      this.options.pending.settle(launchId, terminalOutcome(update));
    }
  }

  #onRetry(update: RecordedStatus): void {
    const launchId = update.launchId ?? '';
    this.options.ports.release(launchId);
    this.options.pending.requeue(launchId, update.attempt + 1);
    this.options.metrics.retries.inc();
    this.options.logger.info(
      { launchId, taskId: update.taskId, state: update.state, nextAttempt: update.attempt + 1 },
      'task ended before it ran; launch queued for another attempt',
    );
  }

  #onGaveUp(update: RecordedStatus): void {
    const launchId = update.launchId ?? '';
    this.options.ports.release(launchId);
    this.options.pending.settle(launchId, terminalOutcome(update));
    this.options.logger.warn(
      { launchId, taskId: update.taskId, state: update.state, attempt: update.attempt },
      'launch gave up: its last attempt ended before the task ran',
    );
  }

  /**
   * Sends KILL for a launch whose kill was requested. Not for TASK_UNKNOWN: the master does not
   * know the task, so it replies to a KILL with another reconciliation update, which would
   * bring the next KILL at once. A task that turns up again reports its state, and is killed then.
   */
  #killIfRequested(update: RecordedStatus): void {
    if (update.killRequested && !isTerminal(update.state) && update.state !== 'TASK_UNKNOWN') {
      this.#kill(update, 'kill requested for the launch');
    }
  }

  /** Kills a live task that no launch claims: an earlier attempt, or one whose launch ended. */
  #killStray(update: RecordedStatus): void {
    if (isTerminal(update.state)) {
      return;
    }

    this.options.logger.warn(
      { launchId: update.launchId, taskId: update.taskId, outcome: update.outcome },
      'killing a task that is not the current task of a live launch',
    );
    this.#kill(update, 'stray task');
  }

  #kill(update: RecordedStatus, why: string): void {
    const calls = this.options.calls();
    const agentId = update.status.agent_id?.value;
    calls?.kill(update.status.task_id, update.status.agent_id).catch((error: unknown) => {
      this.options.logger.warn(
        { err: error, taskId: update.taskId, agentId, why },
        'failed to send KILL; the next status update or reconciliation tries again',
      );
    });
  }
}

function isTerminal(state: string): boolean {
  return (TERMINAL_TASK_STATES as readonly string[]).includes(state);
}

/** Returns the job outcome of a launch whose current task reached a terminal state. */
function terminalOutcome(update: RecordedStatus): LaunchOutcome {
  const { status } = update;
  const details = { state: update.launchState, reason: status.reason, message: status.message };

  if (update.everRunning || update.launchState === 'TASK_FINISHED') {
    return { kind: 'ended', ...details };
  }

  if (update.killRequested) {
    return { kind: 'cancelled', ...details };
  }

  return { kind: 'failed', ...details };
}
