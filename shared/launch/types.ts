/** Docker network modes a launch can ask for, as the HTTP API spells them. */
export const NETWORK_MODES = ['host', 'bridge', 'none', 'user'] as const;
export type NetworkMode = (typeof NETWORK_MODES)[number];

export const PORT_PROTOCOLS = ['tcp', 'udp'] as const;
export type PortProtocol = (typeof PORT_PROTOCOLS)[number];

/** One requested port. With `host` networking only `host_port` is set (0 or absent = any). */
export interface PortRequest {
  container_port?: number;
  host_port?: number;
  protocol: PortProtocol;
}

/** A validated launch request with its defaults applied. */
export interface LaunchRequest {
  image: string;
  command?: string;
  args?: string[];
  network: NetworkMode;
  network_name?: string;
  ports: PortRequest[];
  cpus: number;
  mem: number;
  disk: number;
  env: Record<string, string>;
  labels: Record<string, string>;
  force_pull_image: boolean;
  name?: string;
  timeout_seconds?: number;
}

/** States a launch has before, or instead of, a Mesos task state. */
export const LAUNCH_STATES = ['QUEUED', 'LAUNCHING', 'CANCELLED', 'EXPIRED'] as const;
export type LaunchOnlyState = (typeof LAUNCH_STATES)[number];

/** Mesos task states that end a task, as `isTerminalState` in Mesos defines them. */
export const TERMINAL_TASK_STATES = [
  'TASK_FINISHED',
  'TASK_FAILED',
  'TASK_KILLED',
  'TASK_ERROR',
  'TASK_LOST',
  'TASK_DROPPED',
  'TASK_GONE',
  'TASK_GONE_BY_OPERATOR',
] as const;

/** Launch states that end a launch: the terminal task states plus CANCELLED and EXPIRED. */
export const TERMINAL_LAUNCH_STATES: readonly string[] = [
  ...TERMINAL_TASK_STATES,
  'CANCELLED',
  'EXPIRED',
];

/** A launch state: one of LAUNCH_STATES or a Mesos task state name verbatim (`TASK_RUNNING`). */
export type LaunchState = LaunchOnlyState | `TASK_${string}`;

/** A host port given to a launch; `container_port` is absent with `host` networking. */
export interface AssignedPort {
  container_port?: number;
  host_port: number;
  protocol: PortProtocol;
}

/** One entry of a launch's history, oldest first. `timestamp` is ISO 8601. */
export interface HistoryEntry {
  state: LaunchState;
  timestamp: string;
  source: string | null;
  reason: string | null;
  message: string | null;
  task_id: string | null;
}

/** The status object that `GET /v1/launches/{id}` returns. */
export interface LaunchStatus {
  id: string;
  state: LaunchState;
  terminal: boolean;
  task_id: string | null;
  agent_id: string | null;
  hostname: string | null;
  network: NetworkMode;
  network_name: string | null;
  ip_addresses: string[];
  ports: AssignedPort[];
  reason: string | null;
  message: string | null;
  source: string | null;
  attempt: number;
  history: HistoryEntry[];
  request: LaunchRequest;
  created_at: string;
  updated_at: string;
}

/** The payload of a BullMQ launch job; the job id is the launch id. */
export interface LaunchJobData {
  launch_id: string;
  request: LaunchRequest;
  created_at: string;
}

export function isTerminalLaunchState(state: string): boolean {
  return TERMINAL_LAUNCH_STATES.includes(state);
}
