import type { Redis } from 'ioredis';
import { parseTaskId } from '../shared/launch/ids.js';
import type { RedisKeys } from '../shared/launch/keys.js';
import { TERMINAL_TASK_STATES, type HistoryEntry } from '../shared/launch/types.js';
import type { TaskStatus } from '../shared/mesos/types.js';
import { RECORD_STATUS } from './launch-scripts.js';
import { RETRY_REASON } from './launch-reasons.js';

/**
 * States that mean a task never got going, or that Mesos does not know it. A launch whose task
 * ends in one of them before it ever reached TASK_RUNNING is retried with a new task id.
 */
export const NEVER_STARTED_STATES: readonly string[] = [
  'TASK_ERROR',
  'TASK_DROPPED',
  'TASK_LOST',
  'TASK_FAILED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
  'TASK_UNKNOWN',
];

export type RecordOutcome =
  | 'foreign-task'
  | 'unknown-launch'
  | 'duplicate'
  | 'stale-task'
  | 'unchanged'
  | 'after-terminal'
  | 'regressed'
  | 'retry'
  | 'gave-up'
  | 'recorded';

/** One status update after it was written to Redis, with what the write decided. */
export interface RecordedStatus {
  status: TaskStatus;
  taskId: string;
  state: string;
  launchId: string | undefined;
  outcome: RecordOutcome;
  killRequested: boolean;
  everRunning: boolean;
  /** The attempt of the launch's current task id when the update was recorded. */
  attempt: number;
  /** The launch state before this update. */
  previousState: string;
  /** The launch state after this update. */
  launchState: string;
}

export interface StatusRecorderOptions {
  redis: Redis;
  keys: RedisKeys;
  maxAttempts: number;
}

/**
 * Writes task status updates to their launch records: the HASH, the history and the set of
 * seen updates, in one Lua script per update, so a repeated delivery is recorded once. Updates
 * passed together are sent in one tick and reach Redis in one pipeline, in the order given.
 */
export class StatusRecorder {
  constructor(private readonly options: StatusRecorderOptions) {}

  async recordAll(statuses: readonly TaskStatus[]): Promise<RecordedStatus[]> {
    return Promise.all(statuses.map((status) => this.record(status)));
  }

  async record(status: TaskStatus): Promise<RecordedStatus> {
    const taskId = status.task_id.value;
    const state = String(status.state);
    const parsed = parseTaskId(taskId);
    const base = { status, taskId, state, launchId: parsed?.launchId };

    if (!parsed) {
      return { ...base, ...EMPTY_REPLY, outcome: 'foreign-task' };
    }

    const { redis, keys } = this.options;
    const launchId = parsed.launchId;
    const reply = (await RECORD_STATUS.run(
      redis,
      [
        keys.launch(launchId),
        keys.history(launchId),
        keys.seenUpdates(launchId),
        keys.activeLaunches,
      ],
      this.#scriptArguments(status, launchId),
    )) as string[];

    return { ...base, ...parseReply(reply, state) };
  }

  #scriptArguments(status: TaskStatus, launchId: string): string[] {
    const state = String(status.state);
    const nowIso = new Date().toISOString();
    const terminal = (TERMINAL_TASK_STATES as readonly string[]).includes(state);
    const neverStarted = NEVER_STARTED_STATES.includes(state);

    return [
      launchId,
      status.task_id.value,
      state,
      status.source ?? '',
      status.reason ?? '',
      status.message ?? '',
      status.agent_id?.value ?? '',
      ipAddressesJson(status),
      dedupeKey(status),
      nowIso,
      JSON.stringify(historyEntry(status, nowIso)),
      String(this.options.maxAttempts),
      this.options.keys.statusChannel,
      status.reason === 'REASON_RECONCILIATION' ? '1' : '0',
      neverStarted ? '1' : '0',
      terminal ? '1' : '0',
      state === 'TASK_UNKNOWN' ? 'TASK_LOST' : state,
      // The script reads the retry entry only for a state in NEVER_STARTED_STATES.
      neverStarted ? JSON.stringify(retryEntry(status, nowIso, this.options.maxAttempts)) : '',
    ];
  }
}

const EMPTY_REPLY: Omit<ReplyFields, 'outcome'> = {
  killRequested: false,
  everRunning: false,
  attempt: 0,
  previousState: '',
  launchState: '',
};

type ReplyFields = Omit<RecordedStatus, 'status' | 'taskId' | 'state' | 'launchId'>;

function parseReply(reply: string[], state: string): ReplyFields {
  const [outcome, kill, ever, attempt, previousState] = reply;
  const recordOutcome = (outcome ?? 'unknown-launch') as RecordOutcome;

  return {
    outcome: recordOutcome,
    killRequested: kill === '1',
    everRunning: ever === '1',
    attempt: Number(attempt ?? 0),
    previousState: previousState ?? '',
    launchState: launchStateAfter(recordOutcome, state, previousState ?? ''),
  };
}

function launchStateAfter(outcome: RecordOutcome, state: string, previousState: string): string {
  switch (outcome) {
    case 'recorded':
      return state;
    case 'gave-up':
      return state === 'TASK_UNKNOWN' ? 'TASK_LOST' : state;
    case 'retry':
      return 'QUEUED';
    default:
      return previousState;
  }
}

/** Returns the key of one update: its uuid, or its task, state and timestamp without one. */
export function dedupeKey(status: TaskStatus): string {
  if (status.uuid && status.uuid.length > 0) {
    return `uuid:${Buffer.from(status.uuid).toString('hex')}`;
  }

  return `state:${status.task_id.value}:${String(status.state)}:${status.timestamp ?? ''}`;
}

/** Returns the task's IP addresses as a JSON array, or '' when no network_infos are reported. */
export function ipAddressesJson(status: TaskStatus): string {
  const networkInfos = status.container_status?.network_infos;
  if (!networkInfos || networkInfos.length === 0) {
    return '';
  }

  const addresses = networkInfos.flatMap((info) =>
    (info.ip_addresses ?? []).flatMap((address) =>
      address.ip_address ? [address.ip_address] : [],
    ),
  );
  return JSON.stringify(addresses);
}

function historyEntry(status: TaskStatus, nowIso: string): HistoryEntry {
  const timestamp =
    status.timestamp !== undefined ? new Date(status.timestamp * 1000).toISOString() : nowIso;

  return {
    state: String(status.state) as HistoryEntry['state'],
    timestamp,
    source: status.source ?? null,
    reason: status.reason ?? null,
    message: status.message ?? null,
    task_id: status.task_id.value,
  };
}

function retryEntry(status: TaskStatus, nowIso: string, maxAttempts: number): HistoryEntry {
  const parsed = parseTaskId(status.task_id.value);
  const nextAttempt = (parsed?.attempt ?? 0) + 1;

  return {
    state: 'QUEUED',
    timestamp: nowIso,
    source: null,
    reason: RETRY_REASON,
    message: `retrying as attempt ${nextAttempt} of ${maxAttempts} after ${String(status.state)}`,
    task_id: null,
  };
}
