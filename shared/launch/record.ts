import {
  NETWORK_MODES,
  isTerminalLaunchState,
  type AssignedPort,
  type HistoryEntry,
  type LaunchRequest,
  type LaunchState,
  type LaunchStatus,
  type NetworkMode,
} from './types.js';

/**
 * Conversion between a launch record in Redis and the `LaunchStatus` the API returns. The record
 * is a HASH of strings: `request`, `ports` and `ip_addresses` are JSON, booleans are `'1'`/`'0'`,
 * `attempt` is a decimal string, and a field that is absent means null. `kill_requested`,
 * `ever_running` and `job_id` are internal fields that the API does not return.
 */

/** Fields of a launch record that a writer may set; null means "remove the field". */
export interface LaunchRecordFields {
  id?: string;
  state?: LaunchState;
  /** Derived from `state` when omitted and `state` is given. */
  terminal?: boolean;
  task_id?: string | null;
  agent_id?: string | null;
  hostname?: string | null;
  network?: NetworkMode;
  network_name?: string | null;
  ip_addresses?: string[];
  ports?: AssignedPort[];
  reason?: string | null;
  message?: string | null;
  source?: string | null;
  attempt?: number;
  request?: LaunchRequest;
  created_at?: string;
  updated_at?: string;
  /** Set by `DELETE /v1/launches/{id}` for a launch that has a task; the worker sends the KILL. */
  kill_requested?: boolean;
  /** Set by the worker once the task reached TASK_RUNNING. */
  ever_running?: boolean;
  /** The BullMQ job id, written once the job is in the queue; equal to the launch id. */
  job_id?: string | null;
}

/** The internal fields of a launch record. */
export interface LaunchRecordInternals {
  killRequested: boolean;
  everRunning: boolean;
  jobId: string | null;
}

const JSON_FIELDS = new Set(['ip_addresses', 'ports', 'request']);
const BOOLEAN_FIELDS = new Set(['terminal', 'kill_requested', 'ever_running']);

/**
 * Encodes record fields as HASH values for HSET. Fields that are null or undefined are left out:
 * pass the names from `nullRecordFields` to HDEL so a null replaces an older value.
 */
export function statusFieldsToHash(fields: LaunchRecordFields): Record<string, string> {
  const hash: Record<string, string> = {};

  for (const [name, value] of Object.entries(fields)) {
    if (value === null || value === undefined) {
      continue;
    }

    hash[name] = encodeField(name, value);
  }

  if (fields.state !== undefined && fields.terminal === undefined) {
    hash.terminal = isTerminalLaunchState(fields.state) ? '1' : '0';
  }

  return hash;
}

/** Names of the fields set to null, which the writer removes with HDEL. */
export function nullRecordFields(fields: LaunchRecordFields): string[] {
  return Object.entries(fields)
    .filter(([, value]) => value === null)
    .map(([name]) => name);
}

/**
 * Builds the API status from HGETALL and LRANGE replies. Returns undefined when the HASH is empty
 * or lacks the fields every record has (`id`, `state`, `request`, `created_at`).
 */
export function recordToStatus(
  hash: Record<string, string>,
  history: readonly string[],
): LaunchStatus | undefined {
  const request = parseJson<LaunchRequest>(hash.request);
  if (!hash.id || !hash.state || !request || !hash.created_at) {
    return undefined;
  }

  return {
    id: hash.id,
    state: hash.state as LaunchState,
    terminal: hash.terminal === '1',
    task_id: nullable(hash.task_id),
    agent_id: nullable(hash.agent_id),
    hostname: nullable(hash.hostname),
    network: parseNetwork(hash.network, request),
    network_name: nullable(hash.network_name) ?? request.network_name ?? null,
    ip_addresses: parseJson<string[]>(hash.ip_addresses) ?? [],
    ports: parseJson<AssignedPort[]>(hash.ports) ?? [],
    reason: nullable(hash.reason),
    message: nullable(hash.message),
    source: nullable(hash.source),
    attempt: Number(hash.attempt ?? 0) || 0,
    history: history.map(parseHistoryEntry).filter((entry) => entry !== undefined),
    request,
    created_at: hash.created_at,
    updated_at: hash.updated_at ?? hash.created_at,
  };
}

/** Reads the internal fields of a launch record. */
export function recordInternals(hash: Record<string, string>): LaunchRecordInternals {
  return {
    killRequested: hash.kill_requested === '1',
    everRunning: hash.ever_running === '1',
    jobId: nullable(hash.job_id),
  };
}

/** Encodes one history entry for RPUSH onto the history LIST. */
export function historyEntryToJson(entry: HistoryEntry): string {
  return JSON.stringify(entry);
}

/** Decodes one history LIST element; returns undefined for an element that is not an entry. */
export function parseHistoryEntry(json: string): HistoryEntry | undefined {
  const value = parseJson<Partial<HistoryEntry>>(json);
  if (!value || typeof value.state !== 'string' || typeof value.timestamp !== 'string') {
    return undefined;
  }

  return {
    state: value.state,
    timestamp: value.timestamp,
    source: value.source ?? null,
    reason: value.reason ?? null,
    message: value.message ?? null,
    task_id: value.task_id ?? null,
  };
}

function encodeField(name: string, value: unknown): string {
  if (JSON_FIELDS.has(name)) {
    return JSON.stringify(value);
  }

  if (BOOLEAN_FIELDS.has(name)) {
    return value ? '1' : '0';
  }

  return String(value);
}

function parseNetwork(value: string | undefined, request: LaunchRequest): NetworkMode {
  return NETWORK_MODES.find((mode) => mode === value) ?? request.network;
}

function nullable(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

function parseJson<T>(text: string | undefined): T | undefined {
  if (text === undefined) {
    return undefined;
  }

  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
