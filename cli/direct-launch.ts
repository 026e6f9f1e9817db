import { TERMINAL_TASK_STATES } from '../shared/launch/index.js';
import type { Filters, Offer, OfferID, TaskStatus } from '../shared/mesos/types.js';
import type { SchedulerClient } from '../worker/mesos/index.js';
import { placeLaunches, type PendingLaunch } from '../worker/placement/index.js';
import { LaunchFailedError } from './errors.js';
import { logTaskStatus, type Logger } from './output.js';

/** The scheduler calls one direct-mode launch makes. */
export type DirectLaunchCalls = Pick<
  SchedulerClient,
  'accept' | 'decline' | 'acknowledge' | 'suppress' | 'kill'
>;

export interface DirectLaunchOptions {
  pending: PendingLaunch;
  calls: DirectLaunchCalls;
  /** Receives the "command task" and "received task status" lines. */
  output: Logger;
  /** Receives failed DECLINE, SUPPRESS and ACKNOWLEDGE calls, which do not stop the launch. */
  diagnostics: Logger;
  /** The framework's role, whose resources the task may use. */
  role: string;
}

/** Filter for offers declined while waiting: their resources come back after 5 s, as by default. */
const WAITING_FILTERS: Filters = { refuse_seconds: 5 };
/** Filter for offers declined once the task is launched: this framework needs no more. */
const LAUNCHED_FILTERS: Filters = { refuse_seconds: 3600 };
const SUCCESS_STATES: readonly string[] = ['TASK_RUNNING', 'TASK_FINISHED'];

/**
 * One task launched straight on Mesos: places it on the first offer with room, declines every
 * other offer, logs and acknowledges its status updates, and settles at TASK_RUNNING or
 * TASK_FINISHED (resolved) or any other terminal state (rejected with `LaunchFailedError`).
 *
 * Only a failed ACCEPT is thrown to the caller. A failed DECLINE or SUPPRESS costs nothing but
 * offers, and a failed ACKNOWLEDGE makes the agent resend the update, so those are logged.
 */
export class DirectLaunch {
  readonly settled: Promise<TaskStatus>;
  taskId: string | undefined;
  agentId: string | undefined;
  lastState: string | undefined;
  offersSeen = 0;
  private phase: 'waiting' | 'launched' | 'settled' = 'waiting';
  private resolveSettled!: (status: TaskStatus) => void;
  private rejectSettled!: (error: Error) => void;

  constructor(private readonly options: DirectLaunchOptions) {
    this.settled = new Promise((resolve, reject) => {
      this.resolveSettled = resolve;
      this.rejectSettled = reject;
    });
    this.settled.catch(() => undefined);
  }

  /** Accepts the first offer the task fits and declines the rest, or declines all once launched. */
  async handleOffers(offers: readonly Offer[]): Promise<void> {
    this.offersSeen += offers.length;
    if (this.phase !== 'waiting') {
      await this.declineQuietly(
        offers.map((offer) => offer.id),
        LAUNCHED_FILTERS,
      );
      return;
    }

    const { pending, calls, output, role } = this.options;
    const result = placeLaunches([pending], offers, { role });
    const placement = result.placements[0];
    const accept = result.accepts[0];
    if (!placement || !accept) {
      await this.declineQuietly(result.unusedOffers, WAITING_FILTERS);
      return;
    }

    this.phase = 'launched';
    this.taskId = placement.taskInfo.task_id.value;
    this.agentId = accept.agentId;
    output.info({ task: placement.taskInfo }, 'command task');

    await calls.accept(accept.offerIds, accept.operations, LAUNCHED_FILTERS);
    await this.declineQuietly(result.unusedOffers, LAUNCHED_FILTERS);
    await calls.suppress().catch((error: unknown) => this.logCallFailure('SUPPRESS', error));
  }

  /** Logs an update of this task, acknowledges it when it carries a uuid, and settles if final. */
  async handleUpdate(status: TaskStatus): Promise<void> {
    const ownTask = status.task_id.value === this.taskId;
    if (ownTask) {
      logTaskStatus(this.options.output, status);
      this.lastState = String(status.state);
    }

    const agentId = status.agent_id?.value ?? this.agentId;
    if (status.uuid !== undefined && status.uuid.length > 0 && agentId !== undefined) {
      await this.options.calls
        .acknowledge({ value: agentId }, status.task_id, status.uuid)
        .catch((error: unknown) => this.logCallFailure('ACKNOWLEDGE', error));
    }

    if (ownTask && this.phase === 'launched') {
      this.settleOn(status);
    }
  }

  /** Kills the task if it was launched and has not settled; returns whether KILL was sent. */
  async killIfUnsettled(): Promise<boolean> {
    if (this.phase !== 'launched' || this.taskId === undefined || this.agentId === undefined) {
      return false;
    }

    this.phase = 'settled';
    await this.options.calls.kill({ value: this.taskId }, { value: this.agentId });
    return true;
  }

  private settleOn(status: TaskStatus): void {
    const state = String(status.state);
    if (SUCCESS_STATES.includes(state)) {
      this.phase = 'settled';
      this.resolveSettled(status);
      return;
    }

    if ((TERMINAL_TASK_STATES as readonly string[]).includes(state)) {
      this.phase = 'settled';
      this.rejectSettled(new LaunchFailedError(describeTerminalStatus(status)));
    }
  }

  private async declineQuietly(offerIds: OfferID[], filters: Filters): Promise<void> {
    if (offerIds.length === 0) {
      return;
    }

    await this.options.calls
      .decline(offerIds, filters)
      .catch((error: unknown) => this.logCallFailure('DECLINE', error));
  }

  private logCallFailure(call: string, error: unknown): void {
    this.options.diagnostics.warn(
      { err: error, call, taskId: this.taskId },
      'scheduler call failed',
    );
  }
}

/** Describes a failed task in one line, e.g. `task X ended in TASK_FAILED (SOURCE_EXECUTOR): ...`. */
export function describeTerminalStatus(status: TaskStatus): string {
  const origin = [status.source, status.reason].filter((part) => part !== undefined).join(', ');
  const originText = origin === '' ? '' : ` (${origin})`;
  const messageText = status.message ? `: ${status.message}` : '';
  return `task ${status.task_id.value} ended in ${String(status.state)}${originText}${messageText}`;
}
