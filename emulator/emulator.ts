import { Allocator } from './allocator/allocator.js';
import { createControl, type EmulatorControl } from './control/control.js';
import { CallLog } from './http/call-log.js';
import { closeServer, createHttpServer, listen } from './http/server.js';
import type { SubscriptionStream } from './http/subscription-stream.js';
import { addAgent } from './master/agents.js';
import type { MasterContext } from './master/context.js';
import { IdGenerator } from './master/ids.js';
import { TimerRegistry } from './master/timers.js';
import type { MasterInfo } from './mesos-types.js';
import { resolveOptions, type EmulatorOptions } from './options.js';

/** A running emulated master with its simulated agents. */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:5050`. */
  readonly url: string;
  /** The scheduler endpoint, `<url>/api/v1/scheduler`. */
  readonly schedulerUrl: string;
  readonly masterId: string;
  readonly control: EmulatorControl;
  /** Closes every stream and connection and clears every timer. */
  stop(): Promise<void>;
}

/** The Mesos version the emulated master reports in MasterInfo. */
const EMULATED_MESOS_VERSION = '1.11.0';

/**
 * Starts the emulated Mesos master on `host:port` (127.0.0.1 and a free port by default)
 * with its agents registered and the allocation cycle running.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const resolved = resolveOptions(options);
  const ctx = createContext(resolved);
  const allocator = new Allocator(ctx);
  ctx.allocator = allocator;

  const callLog = new CallLog(resolved.callLogLimit);
  const streams = new Set<SubscriptionStream>();
  const control = createControl({ ctx, allocator, callLog, streams });
  const server = createHttpServer({ endpoint: { ctx, callLog, streams }, control });
  const address = await listen(server, resolved.host, resolved.port);

  ctx.masterInfo = masterInfo(resolved.masterId, resolved.host, address.port);
  resolved.agents.forEach((spec) => addAgent(ctx, spec));
  allocator.start();

  const url = `http://${formatHost(resolved.host)}:${address.port}`;
  ctx.logger.info(
    { url, agents: resolved.agents.length, masterId: resolved.masterId },
    'emulated master started',
  );

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      allocator.stop();
      ctx.timers.clearAll();
      ctx.runtimes.forEach((runtime) => runtime.stop());
      [...streams].forEach((stream) => stream.close());
      await closeServer(server);
      ctx.logger.info({ url }, 'emulated master stopped');
    })();
    return stopped;
  };

  return {
    url,
    schedulerUrl: `${url}/api/v1/scheduler`,
    masterId: resolved.masterId,
    control,
    stop,
  };
}

function createContext(options: ReturnType<typeof resolveOptions>): MasterContext {
  return {
    options,
    logger: options.logger,
    timers: new TimerRegistry(),
    ids: new IdGenerator(options.masterId),
    masterInfo: masterInfo(options.masterId, options.host, options.port),
    frameworks: new Map(),
    completedFrameworks: new Set(),
    agents: new Map(),
    runtimes: new Map(),
    unreachableAgents: new Map(),
    goneAgents: new Set(),
    offers: new Map(),
    faults: {
      heartbeatsPaused: false,
      redirectTo: undefined,
      unavailable: false,
      updateDelayMs: 0,
      duplicateUpdates: false,
    },
    allocator: { requestAllocation: () => undefined },
    userNetworks: new Map(),
  };
}

function masterInfo(masterId: string, host: string, port: number): MasterInfo {
  return {
    id: masterId,
    ip: networkOrderIp(host),
    port,
    pid: `master@${host}:${port}`,
    hostname: host,
    version: EMULATED_MESOS_VERSION,
    address: { hostname: host, ip: host, port },
    capabilities: [{ type: 'AGENT_UPDATE' }, { type: 'AGENT_DRAINING' }, { type: 'QUOTA_V2' }],
  };
}

/** Returns MasterInfo.ip: the IPv4 bytes in network order, read as a host (little-endian) uint32. */
function networkOrderIp(host: string): number {
  const octets = host.split('.').map(Number);
  if (
    octets.length !== 4 ||
    octets.some((octet) => !Number.isInteger(octet) || octet < 0 || octet > 255)
  ) {
    return 0;
  }
  return Buffer.from(octets).readUInt32LE(0);
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
