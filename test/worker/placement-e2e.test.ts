import { afterEach, describe, expect, it } from 'vitest';
import type { Resource } from '../../shared/mesos/types.js';
import { WorkerHarness, waitForSubscribed } from './support/harness.js';

/** Returns every host port in a task's `ports` resource. */
function portsOf(resources: Resource[]): number[] {
  const ports: number[] = [];
  for (const resource of resources) {
    if (resource.name !== 'ports') {
      continue;
    }

    for (const range of resource.ranges?.range ?? []) {
      for (let port = Number(range.begin); port <= Number(range.end); port += 1) {
        ports.push(port);
      }
    }
  }

  return ports;
}

function scalarOf(resources: Resource[], name: string): number | undefined {
  return resources.find((resource) => resource.name === name)?.scalar?.value;
}

describe.each(['protobuf', 'json'] as const)('placement over %s', (contentType) => {
  let harness: WorkerHarness;

  afterEach(async () => {
    await harness.stop();
  });

  async function startWith(
    options: Parameters<typeof WorkerHarness.start>[0]['emulator'] = {},
  ): Promise<void> {
    harness = await WorkerHarness.start({ contentType, emulator: options });
    await waitForSubscribed(await harness.startWorker('worker-a'));
  }

  function emulatorTask(taskId: string | null) {
    const task = harness.emulator.control.tasks().find((entry) => entry.taskId === taskId);
    if (!task) {
      throw new Error(`task ${String(taskId)} is not in the emulator`);
    }

    return task;
  }

  it.each([
    { network: 'host', body: { ports: [{ host_port: 0 }] }, ip: /^127\.0\.1\.\d+$/ },
    { network: 'bridge', body: { ports: [{ container_port: 8888 }] }, ip: /^172\.17\./ },
    { network: 'none', body: {}, ip: /^127\.0\.1\.\d+$/ },
    {
      network: 'user',
      body: { network_name: 'app-net', ports: [{ container_port: 80, protocol: 'udp' }] },
      ip: /^172\.18\./,
    },
  ])('runs a $network launch', async ({ network, body, ip }) => {
    await startWith();

    const id = await harness.submit({ network, cpus: 0.25, mem: 64, ...body });
    const status = await harness.waitForState(id, 'TASK_RUNNING');
    const task = emulatorTask(status.task_id);
    const agent = harness.emulator.control.agents().find((entry) => entry.id === task.agentId);

    expect(status.network).toBe(network);
    expect(status.agent_id).toBe(task.agentId);
    expect(status.hostname).toBe(agent?.hostname);
    expect(status.ip_addresses).toEqual(task.ipAddresses);
    expect(status.ip_addresses[0]).toMatch(ip);
    expect(scalarOf(task.resources, 'cpus')).toBe(0.25);
    expect(scalarOf(task.resources, 'mem')).toBe(64);
    expect(portsOf(task.resources)).toEqual(status.ports.map((port) => port.host_port));
    expect(status.history.map((entry) => entry.state)).toEqual([
      'QUEUED',
      'LAUNCHING',
      'TASK_STARTING',
      'TASK_RUNNING',
    ]);
  });

  it('maps bridge and user ports to container ports', async () => {
    await startWith();

    const id = await harness.submit({
      network: 'bridge',
      ports: [{ container_port: 8888 }, { container_port: 53, protocol: 'udp' }],
    });
    const status = await harness.waitForState(id, 'TASK_RUNNING');

    expect(status.ports.map((port) => [port.container_port, port.protocol])).toEqual([
      [8888, 'tcp'],
      [53, 'udp'],
    ]);
    for (const port of status.ports) {
      expect(port.host_port).toBeGreaterThanOrEqual(31000);
      expect(port.host_port).toBeLessThanOrEqual(32000);
    }
  });

  it('takes ports from fragmented ranges', async () => {
    const ranges = [
      { begin: 31000, end: 31000 },
      { begin: 31005, end: 31006 },
      { begin: 31010, end: 31010 },
    ];
    await startWith({ agents: [{ ...fragmentedAgent(), ports: ranges }] });

    const id = await harness.submit({ ports: [{}, {}, {}, {}] });
    const status = await harness.waitForState(id, 'TASK_RUNNING');
    const hostPorts = status.ports.map((port) => port.host_port).sort((a, b) => a - b);

    expect(hostPorts).toEqual([31000, 31005, 31006, 31010]);
    expect(portsOf(emulatorTask(status.task_id).resources).sort((a, b) => a - b)).toEqual(
      hostPorts,
    );
  });

  it('packs launches into one offer without reusing a port', async () => {
    await startWith({ agents: 1 });

    const ids = await Promise.all(
      Array.from({ length: 20 }, () =>
        harness.submit({
          network: 'bridge',
          cpus: 0.1,
          mem: 32,
          ports: [{ container_port: 80 }, { container_port: 81 }],
        }),
      ),
    );
    const statuses = await Promise.all(ids.map((id) => harness.waitForState(id, 'TASK_RUNNING')));
    const hostPorts = statuses.flatMap((status) => status.ports.map((port) => port.host_port));
    const accepts = harness.callTypes().filter((type) => type === 'ACCEPT');

    expect(new Set(hostPorts).size).toBe(40);
    expect(new Set(statuses.map((status) => status.agent_id)).size).toBe(1);
    expect(accepts.length).toBeLessThan(ids.length);
  });

  it('gives a fixed host port when offered', async () => {
    await startWith();

    const id = await harness.submit({
      network: 'bridge',
      ports: [{ container_port: 80, host_port: 31500 }],
    });
    const status = await harness.waitForState(id, 'TASK_RUNNING');

    expect(status.ports).toEqual([{ container_port: 80, host_port: 31500, protocol: 'tcp' }]);
    expect(portsOf(emulatorTask(status.task_id).resources)).toEqual([31500]);
  });

  it('lets others pass an unfittable launch', async () => {
    await startWith();

    const unfittable = await harness.submit({ ports: [{ host_port: 80 }] });
    const tooBig = await harness.submit({ cpus: 64 });
    const fitting = await harness.submit({ cpus: 0.5 });
    await harness.waitForState(fitting, 'TASK_RUNNING');

    expect((await harness.read(unfittable)).state).toBe('QUEUED');
    expect((await harness.read(tooBig)).state).toBe('QUEUED');
    expect(harness.emulator.control.tasks()).toHaveLength(1);

    const unfittableMessage = await waitForMessage(harness, unfittable);
    expect(unfittableMessage).toBe(
      'waiting for an offer with 0.1 CPUs, 50 MB and 1 port (host port 80)',
    );
    const tooBigMessage = await waitForMessage(harness, tooBig);
    expect(tooBigMessage).toBe('waiting for an offer with 64 CPUs, 50 MB and 0 ports');
  });
});

/** Polls a launch until its record has a message, since the note is written after the cycle. */
async function waitForMessage(harness: WorkerHarness, id: string): Promise<string | null> {
  for (let tries = 0; tries < 100; tries++) {
    const status = await harness.read(id);
    if (status.message) {
      return status.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return null;
}

function fragmentedAgent() {
  return {
    hostname: 'agent-1',
    ip: '127.0.1.1',
    cpus: 4,
    memMb: 8192,
    diskMb: 10000,
    ports: [],
    dockerNetworks: ['bridge', 'app-net'],
  };
}
