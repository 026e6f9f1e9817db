import { randomUUID } from 'node:crypto';
import {
  IdempotencyConflictError,
  LaunchNotFoundError,
  LaunchTerminalError,
  StoreUnavailableError,
} from '../../../shared/launch/store-errors.js';
import type { LaunchStatus } from '../../../shared/launch/types.js';
import type {
  KillLaunchOutcome,
  LaunchBackend,
  LaunchListPage,
  ListLaunchesInput,
  SubmitLaunchInput,
  SubmitLaunchResult,
} from '../../../functions/backend.js';

/**
 * An in-memory LaunchBackend for the app.request() unit tests. It keeps launches in a Map, honours
 * Idempotency-Keys, and fails every call with STORE_UNAVAILABLE while `available` is false.
 */
export class MemoryBackend implements LaunchBackend {
  readonly launches = new Map<string, LaunchStatus>();
  readonly submissions: SubmitLaunchInput[] = [];
  readonly listCalls: ListLaunchesInput[] = [];
  readonly #keys = new Map<string, { id: string; sha: string | undefined }>();
  available = true;
  failWith: Error | undefined;

  async submitLaunch(input: SubmitLaunchInput): Promise<SubmitLaunchResult> {
    this.#check();
    this.submissions.push(input);

    const used =
      input.idempotencyKey === undefined ? undefined : this.#keys.get(input.idempotencyKey);
    if (used) {
      if (used.sha !== input.requestSha256) {
        throw new IdempotencyConflictError(used.id);
      }
      return { id: used.id, state: this.launches.get(used.id)?.state ?? 'QUEUED', created: false };
    }

    const status = this.add({ request: input.request });
    if (input.idempotencyKey !== undefined) {
      this.#keys.set(input.idempotencyKey, { id: status.id, sha: input.requestSha256 });
    }

    return { id: status.id, state: 'QUEUED', created: true };
  }

  async getLaunch(id: string): Promise<LaunchStatus | undefined> {
    this.#check();
    return this.launches.get(id);
  }

  async listLaunches(input: ListLaunchesInput): Promise<LaunchListPage> {
    this.#check();
    this.listCalls.push(input);
    const all = [...this.launches.values()].reverse();
    const matching = input.states
      ? all.filter((launch) => input.states?.includes(launch.state))
      : all;

    return {
      launches: matching.slice(0, input.limit),
      next_cursor: matching.length > input.limit ? 'bmV4dA' : null,
    };
  }

  async killLaunch(id: string): Promise<KillLaunchOutcome> {
    this.#check();
    const status = this.launches.get(id);
    if (!status) {
      throw new LaunchNotFoundError(id);
    }
    if (status.terminal) {
      throw new LaunchTerminalError(id, status.state);
    }
    if (status.state === 'QUEUED') {
      this.launches.set(id, { ...status, state: 'CANCELLED', terminal: true });
      return { id, outcome: 'cancelled', state: 'CANCELLED' };
    }

    return { id, outcome: 'kill_requested', state: status.state };
  }

  async checkReady(): Promise<void> {
    this.#check();
  }

  async renderMetrics(): Promise<{ contentType: string; body: string }> {
    this.#check();
    return {
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
      body: 'mesos_launch_redis_up 1\n',
    };
  }

  /** Stores a launch directly, for tests that need one in a given state. */
  add(fields: Partial<LaunchStatus> & Pick<LaunchStatus, 'request'>): LaunchStatus {
    const now = new Date().toISOString();
    const status: LaunchStatus = {
      id: randomUUID(),
      state: 'QUEUED',
      terminal: false,
      task_id: null,
      agent_id: null,
      hostname: null,
      network: fields.request.network,
      network_name: fields.request.network_name ?? null,
      ip_addresses: [],
      ports: [],
      reason: null,
      message: null,
      source: null,
      attempt: 0,
      history: [
        {
          state: 'QUEUED',
          timestamp: now,
          source: null,
          reason: null,
          message: null,
          task_id: null,
        },
      ],
      created_at: now,
      updated_at: now,
      ...fields,
    };
    this.launches.set(status.id, status);

    return status;
  }

  #check(): void {
    if (this.failWith) {
      throw this.failWith;
    }
    if (!this.available) {
      throw new StoreUnavailableError('cannot reach Redis: connection refused');
    }
  }
}
