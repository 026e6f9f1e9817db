import { randomUUID } from 'node:crypto';
import { MesosLaunchError } from '../shared/errors.js';
import { createLogger, type Logger } from '../shared/logger.js';

/** An emulator option or agent spec that cannot work, e.g. a zero heartbeat interval. */
export class EmulatorOptionsError extends MesosLaunchError {
  constructor(message: string) {
    super('EMULATOR_OPTIONS_INVALID', message);
    this.name = 'EmulatorOptionsError';
  }
}

/** An inclusive range of host ports an agent offers. */
export interface PortRange {
  begin: number;
  end: number;
}

/**
 * A simulated agent. Addresses are data only: nothing ever connects to `ip` or `port`.
 * `dockerNetworks` lists the Docker networks besides `host` and `none`, which every agent has;
 * BRIDGE tasks need `bridge` and USER tasks need their named network here.
 */
export interface AgentSpec {
  hostname: string;
  ip: string;
  /** The agent's libprocess port, shown in offer URLs; 5051 when unset. */
  port?: number;
  cpus: number;
  memMb: number;
  diskMb: number;
  gpus?: number;
  ports: PortRange[];
  /** Numbers become SCALAR attributes, strings TEXT attributes. */
  attributes?: Record<string, string | number>;
  dockerNetworks: string[];
}

/** HTTP Basic credentials a scheduler must present when credentials are configured. */
export interface SchedulerCredential {
  principal: string;
  secret: string;
}

export interface EmulatorOptions {
  /** Address to listen on; 127.0.0.1 when unset. */
  host?: string;
  /** Port to listen on; 0 (any free port) when unset. */
  port?: number;
  /** Agent specs, or a count of `defaultAgents(count)`; 3 agents when unset. */
  agents?: AgentSpec[] | number;
  /** SUBSCRIBED's heartbeat interval and the HEARTBEAT period; 15 when unset, as in Mesos. */
  heartbeatIntervalSeconds?: number;
  /** Period of the allocation cycle; 1000 when unset, as in Mesos. */
  allocationIntervalMs?: number;
  /** First resend delay for an unacknowledged status update, doubled each time; 10000 when unset. */
  statusUpdateRetryMs?: number;
  /** Upper bound of the resend delay; 600000 (10 minutes) when unset, as in Mesos. */
  statusUpdateRetryMaxMs?: number;
  /** Time from TASK_STARTING to TASK_RUNNING, and from a kill to TASK_KILLED; 20 when unset. */
  taskStartDelayMs?: number;
  /** Time a task stays TASK_STAGING before its executor sends TASK_STARTING; 0 when unset. */
  taskLaunchDelayMs?: number;
  /** The master id in MasterInfo and every generated id; a random UUID when unset. */
  masterId?: string;
  /** When set, every scheduler request needs one of these via HTTP Basic, else 401. */
  credentials?: SchedulerCredential[];
  /** How many received scheduler calls the call log keeps; 10000 when unset. */
  callLogLimit?: number;
  logger?: Logger;
}

export interface ResolvedOptions {
  host: string;
  port: number;
  agents: AgentSpec[];
  heartbeatIntervalSeconds: number;
  allocationIntervalMs: number;
  statusUpdateRetryMs: number;
  statusUpdateRetryMaxMs: number;
  taskStartDelayMs: number;
  taskLaunchDelayMs: number;
  masterId: string;
  credentials: SchedulerCredential[] | undefined;
  callLogLimit: number;
  logger: Logger;
}

const DEFAULT_AGENT_COUNT = 3;
const FIRST_AGENT_PORT = 31000;
const LAST_AGENT_PORT = 32000;

/**
 * Returns `count` agent specs shaped like a default Mesos agent on a 4-core, 8 GB host:
 * cpus 4, mem 8192, disk 10000, ports [31000-32000], Docker networks `bridge` and `app-net`,
 * hostnames `agent-1`.. and IPs `127.0.1.1`.. (data only).
 */
export function defaultAgents(count: number): AgentSpec[] {
  return Array.from({ length: count }, (_unused, index) => ({
    hostname: `agent-${index + 1}`,
    ip: agentIp(index),
    port: 5051,
    cpus: 4,
    memMb: 8192,
    diskMb: 10000,
    ports: [{ begin: FIRST_AGENT_PORT, end: LAST_AGENT_PORT }],
    dockerNetworks: ['bridge', 'app-net'],
  }));
}

/** Returns the data-only IP of the agent at `index`: 127.0.1.1, ... 127.0.1.254, 127.0.2.1, ... */
export function agentIp(index: number): string {
  return `127.0.${1 + Math.floor(index / 254)}.${1 + (index % 254)}`;
}

/** Fills in defaults and validates; throws EmulatorOptionsError on a value that cannot work. */
export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  const agents = options.agents ?? DEFAULT_AGENT_COUNT;
  if (typeof agents === 'number' && (!Number.isInteger(agents) || agents < 0)) {
    throw new EmulatorOptionsError(`agents must be a count >= 0 or a list of specs, got ${agents}`);
  }

  const resolved: ResolvedOptions = {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    agents: typeof agents === 'number' ? defaultAgents(agents) : agents,
    heartbeatIntervalSeconds: options.heartbeatIntervalSeconds ?? 15,
    allocationIntervalMs: options.allocationIntervalMs ?? 1000,
    statusUpdateRetryMs: options.statusUpdateRetryMs ?? 10_000,
    statusUpdateRetryMaxMs: options.statusUpdateRetryMaxMs ?? 600_000,
    taskStartDelayMs: options.taskStartDelayMs ?? 20,
    taskLaunchDelayMs: options.taskLaunchDelayMs ?? 0,
    masterId: options.masterId ?? randomUUID(),
    credentials: options.credentials,
    callLogLimit: options.callLogLimit ?? 10_000,
    logger: options.logger ?? createLogger('emulator'),
  };

  validateResolvedOptions(resolved);
  return resolved;
}

function validateResolvedOptions(options: ResolvedOptions): void {
  requireNumber('port', options.port, 0, 65535);
  requireNumber('heartbeatIntervalSeconds', options.heartbeatIntervalSeconds, 0.001);
  requireNumber('allocationIntervalMs', options.allocationIntervalMs, 1);
  requireNumber('statusUpdateRetryMs', options.statusUpdateRetryMs, 1);
  requireNumber(
    'statusUpdateRetryMaxMs',
    options.statusUpdateRetryMaxMs,
    options.statusUpdateRetryMs,
  );
  requireNumber('taskStartDelayMs', options.taskStartDelayMs, 0);
  requireNumber('taskLaunchDelayMs', options.taskLaunchDelayMs, 0);
  requireNumber('callLogLimit', options.callLogLimit, 0);
  options.agents.forEach(validateAgentSpec);
}

function requireNumber(name: string, value: number, min: number, max = Infinity): void {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new EmulatorOptionsError(`${name} must be a number from ${min} to ${max}, got ${value}`);
  }
}

/** Checks an agent spec's amounts and port ranges; throws EmulatorOptionsError. */
export function validateAgentSpec(spec: AgentSpec): void {
  if (typeof spec.hostname !== 'string' || spec.hostname === '') {
    throw new EmulatorOptionsError('an agent needs a non-empty hostname');
  }
  if (typeof spec.ip !== 'string' || spec.ip === '') {
    throw new EmulatorOptionsError(`agent ${spec.hostname} needs an ip`);
  }
  for (const field of ['cpus', 'memMb', 'diskMb'] as const) {
    requireNumber(`${spec.hostname}.${field}`, spec[field], 0);
  }
  if (!Array.isArray(spec.ports) || !Array.isArray(spec.dockerNetworks)) {
    throw new EmulatorOptionsError(`agent ${spec.hostname} needs ports and dockerNetworks lists`);
  }

  const sorted = [...spec.ports].sort((a, b) => a.begin - b.begin);
  sorted.forEach((range, index) => {
    const valid = Number.isInteger(range.begin) && Number.isInteger(range.end) && range.begin >= 0;
    const previous = sorted[index - 1];
    if (
      !valid ||
      range.begin > range.end ||
      (previous !== undefined && range.begin <= previous.end)
    ) {
      throw new EmulatorOptionsError(
        `agent ${spec.hostname} has an invalid or overlapping port range [${range.begin}-${range.end}]`,
      );
    }
  });
}
