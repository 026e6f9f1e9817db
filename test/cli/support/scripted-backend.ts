import type {
  KillLaunchOutcome,
  LaunchBackend,
  LaunchListPage,
  SubmitLaunchInput,
  SubmitLaunchResult,
} from '../../../functions/backend.js';
import type { LaunchRequest, LaunchState, LaunchStatus } from '../../../shared/launch/types.js';

const LAUNCH_ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

/**
 * A launch backend for the real HTTP app that stores one launch and moves it one state further
 * on each read, through `states`. It keeps the submitted requests and the kill requests.
 */
export class ScriptedBackend implements LaunchBackend {
  readonly submitted: SubmitLaunchInput[] = [];
  readonly killed: string[] = [];
  states: LaunchState[] = ['QUEUED'];
  private reads = 0;

  async submitLaunch(input: SubmitLaunchInput): Promise<SubmitLaunchResult> {
    this.submitted.push(input);
    return { id: LAUNCH_ID, state: 'QUEUED', created: true };
  }

  async getLaunch(id: string): Promise<LaunchStatus | undefined> {
    const request = this.submitted[0]?.request;
    if (id !== LAUNCH_ID || !request) {
      return undefined;
    }

    this.reads += 1;
    return this.statusAfter(Math.min(this.reads, this.states.length), request);
  }

  async listLaunches(): Promise<LaunchListPage> {
    return { launches: [], next_cursor: null };
  }

  async killLaunch(id: string): Promise<KillLaunchOutcome> {
    this.killed.push(id);
    return { id, outcome: 'kill_requested', state: this.states.at(-1) ?? 'QUEUED' };
  }

  async checkReady(): Promise<void> {}

  async renderMetrics(): Promise<{ contentType: string; body: string }> {
    return { contentType: 'text/plain', body: '' };
  }

  private statusAfter(count: number, request: LaunchRequest): LaunchStatus {
    const states = this.states.slice(0, count);
    const state = states.at(-1) ?? 'QUEUED';
    const running = state === 'TASK_RUNNING';
    const taskId = states.some((entry) => entry.startsWith('TASK_')) ? `ml-${LAUNCH_ID}-a1` : null;
    const now = new Date().toISOString();

    return {
      id: LAUNCH_ID,
      state,
      terminal: ['TASK_FAILED', 'TASK_FINISHED', 'CANCELLED', 'EXPIRED'].includes(state),
      task_id: taskId,
      agent_id: taskId ? 'master-S0' : null,
      hostname: taskId ? 'agent-1' : null,
      network: request.network,
      network_name: request.network_name ?? null,
      ip_addresses: running ? ['172.17.0.2'] : [],
      ports: running ? [{ container_port: 8888, host_port: 31000, protocol: 'tcp' }] : [],
      reason: null,
      message: null,
      source: taskId ? 'SOURCE_EXECUTOR' : null,
      attempt: 1,
      history: states.map((entry) => ({
        state: entry,
        timestamp: now,
        source: entry.startsWith('TASK_') ? 'SOURCE_EXECUTOR' : null,
        reason: null,
        message: null,
        task_id: entry.startsWith('TASK_') ? taskId : null,
      })),
      request,
      created_at: now,
      updated_at: now,
    };
  }
}
