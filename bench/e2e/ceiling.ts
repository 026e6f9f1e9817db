import { performance } from 'node:perf_hooks';
import type { Event, Offer, Resource, TaskInfo } from '../../shared/mesos/index.js';
import { readCpuMs } from './children.js';
import { connectDriver, type DriverConnection } from './driver-connection.js';

export interface CeilingOptions {
  emulatorUrl: string;
  /** The emulator's process id, to read its CPU time during the warm batch. */
  emulatorPid: number | undefined;
  launches: number;
  /** Share of tasks with bridge networking and one host port, as in the product's load. */
  bridgeShare: number;
  cpus: number;
  memMb: number;
  deadlineMs: number;
}

/** One batch of `launches` tasks. */
export interface CeilingBatch {
  running: number;
  /** From the first OFFERS event of the batch to its last TASK_RUNNING. */
  elapsedMs: number;
  perSecond: number;
  accepts: number;
  timedOut: boolean;
}

export interface CeilingResult {
  /** The first batch, in a fresh emulator process whose code is not yet optimised. */
  cold: CeilingBatch;
  /** The second batch in the same process: the figure reported as the ceiling. */
  warm: CeilingBatch;
  /** CPU ms per task of the warm batch: the emulator, and the minimal scheduler in this process. */
  warmCpuMsPerTask: { emulator: number; scheduler: number };
  failedCalls: number;
}

/** Launch progress of one batch; its tasks are numbered from `firstIndex` in launch order. */
interface DriverState {
  firstIndex: number;
  launched: number;
  running: number;
  accepts: number;
  firstOffersAtMs: number;
  lastRunningAtMs: number;
  done: () => void;
  finished: Promise<void>;
}

/**
 * Measures the emulated master's own launch rate with a minimal scheduler in this process. In
 * each of two batches all `launches` tasks are known up front and accepted on the first offers,
 * spread evenly over the agents with one ACCEPT per offer. The driver acknowledges every update
 * and counts TASK_RUNNING. The second batch starts with a REVIVE once the first is running.
 */
export async function measureCeiling(options: CeilingOptions): Promise<CeilingResult> {
  let state = newBatch(0);
  // The handler reads `state` at each event, so the second batch's events go to the new state.
  const connection = await connectDriver(options.emulatorUrl, 'bench-ceiling', (self, event) =>
    handleEvent(self, event, state, options),
  );

  try {
    const cold = await finishBatch(state, options);
    state = newBatch(options.launches);
    const emulatorCpuBefore = await readEmulatorCpu(options);
    const schedulerCpuBefore = process.cpuUsage();
    connection.send({ type: 'REVIVE', revive: {} });
    const warm = await finishBatch(state, options);
    const schedulerCpu = process.cpuUsage(schedulerCpuBefore);
    const emulatorCpuMs = (await readEmulatorCpu(options)) - emulatorCpuBefore;
    const tasks = Math.max(1, warm.running);
    const warmCpuMsPerTask = {
      emulator: emulatorCpuMs / tasks,
      scheduler: (schedulerCpu.user + schedulerCpu.system) / 1000 / tasks,
    };
    return { cold, warm, warmCpuMsPerTask, failedCalls: connection.failedCalls() };
  } finally {
    await connection.close();
  }
}

async function readEmulatorCpu(options: CeilingOptions): Promise<number> {
  return options.emulatorPid === undefined
    ? Number.NaN
    : ((await readCpuMs(options.emulatorPid)) ?? Number.NaN);
}

function newBatch(firstIndex: number): DriverState {
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  return {
    firstIndex,
    launched: 0,
    running: 0,
    accepts: 0,
    firstOffersAtMs: 0,
    lastRunningAtMs: 0,
    done,
    finished,
  };
}

async function finishBatch(state: DriverState, options: CeilingOptions): Promise<CeilingBatch> {
  const timedOut = await Promise.race([
    state.finished.then(() => false),
    new Promise<boolean>((resolve) => {
      setTimeout(() => resolve(true), options.deadlineMs - performance.now()).unref();
    }),
  ]);
  const elapsedMs = Math.max(1, state.lastRunningAtMs - state.firstOffersAtMs);

  return {
    running: state.running,
    elapsedMs,
    perSecond: state.running / (elapsedMs / 1000),
    accepts: state.accepts,
    timedOut,
  };
}

function handleEvent(
  connection: DriverConnection,
  event: Event,
  state: DriverState,
  options: CeilingOptions,
): void {
  if (event.type === 'OFFERS') {
    acceptOffers(connection, event.offers?.offers ?? [], state, options);
    return;
  }

  const status = event.update?.status;
  if (status === undefined) {
    return;
  }

  if (status.uuid !== undefined && status.agent_id !== undefined) {
    connection.send({
      type: 'ACKNOWLEDGE',
      acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid },
    });
  }

  if (status.state === 'TASK_RUNNING' && taskIndex(status.task_id.value) >= state.firstIndex) {
    state.running += 1;
    state.lastRunningAtMs = performance.now();
    if (state.running >= options.launches) {
      state.done();
    }
  }
}

const TASK_ID_PREFIX = 'ceiling-';

/** Declines offers for a minute once every task is launched, so the driver adds no calls. */
const DONE_REFUSE_SECONDS = 60;

function acceptOffers(
  connection: DriverConnection,
  offers: Offer[],
  state: DriverState,
  options: CeilingOptions,
): void {
  state.firstOffersAtMs ||= performance.now();
  if (state.launched >= options.launches) {
    const filters = { refuse_seconds: DONE_REFUSE_SECONDS };
    connection.send({ type: 'DECLINE', decline: { offer_ids: offers.map((o) => o.id), filters } });
    return;
  }

  offers.forEach((offer, index) => {
    const share = Math.ceil((options.launches - state.launched) / (offers.length - index));
    const count = Math.min(share, capacity(offer, options));
    const ports = offeredPorts(offer);
    const tasks: TaskInfo[] = [];
    for (let i = 0; i < count; i += 1) {
      const task = benchTask(offer, state.firstIndex + state.launched, options, ports);
      if (task === undefined) {
        break;
      }

      tasks.push(task);
      state.launched += 1;
    }

    state.accepts += 1;
    connection.send({
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: tasks.length > 0 ? [{ type: 'LAUNCH', launch: { task_infos: tasks } }] : [],
        filters: { refuse_seconds: 0 },
      },
    });
  });
}

function taskIndex(taskId: string): number {
  return Number(taskId.slice(TASK_ID_PREFIX.length));
}

function capacity(offer: Offer, options: CeilingOptions): number {
  const scalar = (name: string): number =>
    offer.resources?.find((resource) => resource.name === name)?.scalar?.value ?? 0;
  return Math.min(
    Math.floor(scalar('cpus') / options.cpus + 1e-9),
    Math.floor(scalar('mem') / options.memMb + 1e-9),
  );
}

/** Host ports of the offer, lowest first, consumed as bridge tasks take them. */
function offeredPorts(offer: Offer): number[] {
  const ranges = offer.resources?.find((resource) => resource.name === 'ports')?.ranges?.range;
  const ports: number[] = [];
  for (const range of ranges ?? []) {
    for (let port = Number(range.begin); port <= Number(range.end); port += 1) {
      ports.push(port);
    }
  }

  return ports;
}

/** The task the product builds for the same request; undefined when no host port is left. */
function benchTask(
  offer: Offer,
  index: number,
  options: CeilingOptions,
  freePorts: number[],
): TaskInfo | undefined {
  const bridgeEvery = options.bridgeShare > 0 ? Math.round(1 / options.bridgeShare) : 0;
  const bridge = bridgeEvery > 0 && index % bridgeEvery === 0;
  const hostPort = bridge ? freePorts.shift() : undefined;
  if (bridge && hostPort === undefined) {
    return undefined;
  }

  const resources: Resource[] = [
    { name: 'cpus', type: 'SCALAR', scalar: { value: options.cpus }, role: '*' },
    { name: 'mem', type: 'SCALAR', scalar: { value: options.memMb }, role: '*' },
  ];
  if (hostPort !== undefined) {
    const range = { begin: String(hostPort), end: String(hostPort) };
    resources.push({ name: 'ports', type: 'RANGES', ranges: { range: [range] }, role: '*' });
  }

  return {
    name: 'mesos-launch-busybox',
    task_id: { value: `${TASK_ID_PREFIX}${index}` },
    agent_id: offer.agent_id,
    resources,
    command: { shell: true, value: bridge ? 'httpd -f -p 8080' : 'sleep 3600' },
    container: {
      type: 'DOCKER',
      docker: {
        image: 'busybox:1.36',
        network: bridge ? 'BRIDGE' : 'HOST',
        force_pull_image: false,
        ...(hostPort === undefined
          ? {}
          : { port_mappings: [{ host_port: hostPort, container_port: 8080, protocol: 'tcp' }] }),
      },
    },
  };
}
