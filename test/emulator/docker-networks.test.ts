import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import type { ContainerInfo, Event, Offer, TaskStatus } from '../../shared/mesos/index.js';
import { BOTH_ENCODINGS, startTestEmulator } from './support/emulator.js';
import { TestScheduler, post, testDispatcher } from './support/scheduler-driver.js';
import { dockerTask, launch, nextOffers, ports, scalar } from './support/tasks.js';

let emulator: Emulator;
const schedulers: TestScheduler[] = [];

beforeEach(async () => {
  emulator = await startTestEmulator({
    agents: [
      {
        hostname: 'docker-1',
        ip: '127.0.1.1',
        cpus: 4,
        memMb: 8192,
        diskMb: 10000,
        ports: [{ begin: 31000, end: 32000 }],
        dockerNetworks: ['bridge', 'app-net'],
      },
    ],
  });
});

afterEach(async () => {
  schedulers.splice(0).forEach((scheduler) => scheduler.close());
  await emulator.stop();
});

afterAll(async () => {
  await testDispatcher.close();
});

function addresses(status: TaskStatus): string[] {
  return (status.container_status?.network_infos ?? []).flatMap((info) =>
    (info.ip_addresses ?? []).map((address) => address.ip_address ?? ''),
  );
}

const WITH_PORT = [scalar('cpus', 0.1), scalar('mem', 32), ports([31000, 31000])];

describe.each(BOTH_ENCODINGS)('Docker networks in %s', (contentType) => {
  async function offerFor(): Promise<{ scheduler: TestScheduler; offer: Offer }> {
    const scheduler = await TestScheduler.subscribe(emulator.schedulerUrl, { contentType });
    schedulers.push(scheduler);
    const [offer] = await nextOffers(scheduler);
    return { scheduler, offer: offer! };
  }

  async function run(
    container: ContainerInfo,
    extra: Parameters<typeof dockerTask>[2] = {},
  ): Promise<[TaskStatus, TaskStatus]> {
    const { scheduler, offer } = await offerFor();
    await launch(
      scheduler,
      [offer],
      [dockerTask(offer, 'net', { resources: WITH_PORT, container, ...extra })],
    );
    const starting = await scheduler.nextUpdate('net');
    await scheduler.acknowledge(starting);
    const next = await scheduler.nextUpdate('net');
    return [starting, next];
  }

  it.each([
    ['HOST', { type: 'DOCKER', docker: { image: 'busybox', network: 'HOST' } }, ['127.0.1.1']],
    ['an unset network (HOST)', { type: 'DOCKER', docker: { image: 'busybox' } }, ['127.0.1.1']],
    ['NONE', { type: 'DOCKER', docker: { image: 'busybox', network: 'NONE' } }, ['127.0.1.1']],
    [
      'BRIDGE with a port mapping',
      {
        type: 'DOCKER',
        docker: {
          image: 'busybox',
          network: 'BRIDGE',
          port_mappings: [{ host_port: 31000, container_port: 8888 }],
        },
        hostname: 'web',
      },
      ['172.17.0.2'],
    ],
    [
      'USER on app-net with a port mapping',
      {
        type: 'DOCKER',
        docker: {
          image: 'busybox',
          network: 'USER',
          port_mappings: [{ host_port: 31000, container_port: 80 }],
        },
        network_infos: [{ name: 'app-net', labels: { labels: [{ key: 'tier', value: 'web' }] } }],
      },
      ['172.18.0.2'],
    ],
  ] as Array<[string, ContainerInfo, string[]]>)(
    'runs %s and reports its address',
    async (_name, container, expected) => {
      const [starting, running] = await run(container);

      expect(starting.state).toBe('TASK_STARTING');
      expect(starting.source).toBe('SOURCE_EXECUTOR');
      expect(starting.executor_id?.value).toBe('net');
      expect(addresses(starting)).toEqual(['127.0.1.1']);
      expect(running.state).toBe('TASK_RUNNING');
      expect(addresses(running)).toEqual(expected);
      expect(running.container_status?.container_id?.value).toBe(
        starting.container_status?.container_id?.value,
      );
    },
  );

  it('copies the USER network info into TASK_RUNNING', async () => {
    const [, running] = await run({
      type: 'DOCKER',
      docker: { image: 'busybox', network: 'USER' },
      network_infos: [{ name: 'app-net', labels: { labels: [{ key: 'tier', value: 'web' }] } }],
    });

    const info = running.container_status?.network_infos?.[0];

    expect(info?.name).toBe('app-net');
    expect(info?.labels).toEqual({ labels: [{ key: 'tier', value: 'web' }] });
  });

  it('puts docker inspect output into TASK_RUNNING data', async () => {
    const [, running] = await run({
      type: 'DOCKER',
      docker: {
        image: 'busybox',
        network: 'BRIDGE',
        port_mappings: [{ host_port: 31000, container_port: 8888 }],
      },
    });

    const inspect = JSON.parse(Buffer.from(running.data!).toString('utf8')) as Array<{
      NetworkSettings: {
        Networks: Record<string, { IPAddress: string }>;
        Ports: Record<string, unknown>;
      };
    }>;

    expect(inspect[0]?.NetworkSettings.Networks.bridge?.IPAddress).toBe('172.17.0.2');
    expect(inspect[0]?.NetworkSettings.Ports['8888/tcp']).toEqual([
      { HostIp: '0.0.0.0', HostPort: '31000' },
    ]);
  });

  it('runs the image command with shell false and no value', async () => {
    const [, running] = await run(
      { type: 'DOCKER', docker: { image: 'busybox', network: 'HOST' } },
      { command: { shell: false } },
    );

    expect(running.state).toBe('TASK_RUNNING');
  });

  const failures: Array<[string, ContainerInfo, string, Parameters<typeof dockerTask>[2]?]> = [
    [
      'port mappings with HOST',
      {
        type: 'DOCKER',
        docker: {
          image: 'busybox',
          network: 'HOST',
          port_mappings: [{ host_port: 31000, container_port: 80 }],
        },
      },
      'Failed to create docker run options: Port mappings are only supported for bridge and user-defined networks',
    ],
    [
      'port mappings with NONE',
      {
        type: 'DOCKER',
        docker: {
          image: 'busybox',
          network: 'NONE',
          port_mappings: [{ host_port: 31000, container_port: 80 }],
        },
      },
      'Failed to create docker run options: Port mappings are only supported for bridge and user-defined networks',
    ],
    [
      'a host port outside the task ports',
      {
        type: 'DOCKER',
        docker: {
          image: 'busybox',
          network: 'BRIDGE',
          port_mappings: [{ host_port: 31050, container_port: 80 }],
        },
      },
      'Failed to create docker run options: Port [31050] not included in resources',
    ],
    [
      'port mappings without a ports resource',
      {
        type: 'DOCKER',
        docker: {
          image: 'busybox',
          network: 'BRIDGE',
          port_mappings: [{ host_port: 31000, container_port: 80 }],
        },
      },
      'Failed to create docker run options: Port mappings require port resources',
      { resources: [scalar('cpus', 0.1), scalar('mem', 32)] },
    ],
    [
      'USER without network info',
      { type: 'DOCKER', docker: { image: 'busybox', network: 'USER' } },
      'Failed to create docker run options: No network info found in container info',
    ],
    [
      'USER with two networks',
      {
        type: 'DOCKER',
        docker: { image: 'busybox', network: 'USER' },
        network_infos: [{ name: 'app-net' }, { name: 'bridge' }],
      },
      'Failed to create docker run options: Only a single network can be defined in Docker run',
    ],
    [
      'USER network info without a name',
      { type: 'DOCKER', docker: { image: 'busybox', network: 'USER' }, network_infos: [{}] },
      'Failed to create docker run options: No network name found in network info',
    ],
    [
      'a hostname with HOST',
      { type: 'DOCKER', docker: { image: 'busybox', network: 'HOST' }, hostname: 'web' },
      'Failed to create docker run options: Unable to set hostname with host network mode',
    ],
    [
      'shell true without a command value',
      { type: 'DOCKER', docker: { image: 'busybox', network: 'HOST' } },
      'Failed to create docker run options: Shell specified but no command value provided',
      { command: {} },
    ],
    [
      'a USER network the agent lacks',
      {
        type: 'DOCKER',
        docker: { image: 'busybox', network: 'USER' },
        network_infos: [{ name: 'db-net' }],
      },
      'Container exited with status 125',
    ],
    [
      'a net parameter naming an unknown network',
      {
        type: 'DOCKER',
        docker: {
          image: 'busybox',
          network: 'BRIDGE',
          parameters: [{ key: 'net', value: 'db-net' }],
        },
      },
      'Container exited with status 125',
    ],
  ];

  it.each(failures)('fails %s after TASK_STARTING', async (_name, container, message, extra) => {
    const [starting, failed] = await run(container, extra ?? {});

    expect(starting.state).toBe('TASK_STARTING');
    expect(failed.state).toBe('TASK_FAILED');
    expect(failed.source).toBe('SOURCE_EXECUTOR');
    expect(failed.reason).toBeUndefined();
    expect(failed.message).toBe(message);
    expect(failed.uuid).toHaveLength(16);
    expect(addresses(failed)).toEqual(['127.0.1.1']);
  });
});

describe('Docker network edge cases', () => {
  it('fails BRIDGE on an agent without the bridge network', async () => {
    const bare = await startTestEmulator({
      agents: [
        {
          hostname: 'bare',
          ip: '127.0.1.7',
          cpus: 1,
          memMb: 512,
          diskMb: 0,
          ports: [],
          dockerNetworks: [],
        },
      ],
    });
    try {
      const scheduler = await TestScheduler.subscribe(bare.schedulerUrl);
      schedulers.push(scheduler);
      const [offer] = await nextOffers(scheduler);
      await launch(
        scheduler,
        [offer!],
        [
          dockerTask(offer!, 'b', {
            container: { type: 'DOCKER', docker: { image: 'busybox', network: 'BRIDGE' } },
          }),
        ],
      );
      const starting = await scheduler.nextUpdate('b');
      await scheduler.acknowledge(starting);
      const failed = await scheduler.nextUpdate('b');

      expect(failed.state).toBe('TASK_FAILED');
      expect(failed.message).toBe('Container exited with status 125');
    } finally {
      await bare.stop();
    }
  });

  it('runs a misspelled JSON network as HOST, as Mesos drops unknown enum names', async () => {
    const scheduler = await TestScheduler.subscribe(emulator.schedulerUrl);
    schedulers.push(scheduler);
    const [offer] = await nextOffers(scheduler);
    const task = dockerTask(offer!, 'typo', {
      resources: WITH_PORT,
      container: {
        type: 'DOCKER',
        docker: {
          image: 'busybox',
          network: 'BRIGDE' as 'BRIDGE',
          port_mappings: [{ host_port: 31000, container_port: 80 }],
        },
      },
    });
    const body = JSON.stringify({
      framework_id: { value: scheduler.frameworkId },
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer!.id],
        operations: [{ type: 'LAUNCH', launch: { task_infos: [task] } }],
      },
    });

    const reply = await post(emulator.schedulerUrl, {
      headers: { 'content-type': 'application/json', 'mesos-stream-id': scheduler.streamId },
      body,
    });
    const starting = await scheduler.nextUpdate('typo');
    await scheduler.acknowledge(starting);
    const failed = await scheduler.nextUpdate('typo');

    expect(reply.status).toBe(202);
    expect(failed.message).toBe(
      'Failed to create docker run options: Port mappings are only supported for bridge and user-defined networks',
    );
  });

  it('gives user-network addresses unique across agents', async () => {
    const two = await startTestEmulator({ agents: 2 });
    try {
      const scheduler = await TestScheduler.subscribe(two.schedulerUrl);
      schedulers.push(scheduler);
      const offers = await nextOffers(scheduler);
      const container: ContainerInfo = {
        type: 'DOCKER',
        docker: { image: 'busybox', network: 'USER' },
        network_infos: [{ name: 'app-net' }],
      };
      for (const [index, offer] of offers.entries()) {
        await launch(scheduler, [offer], [dockerTask(offer, `u${index}`, { container })]);
      }
      // Both tasks' TASK_STARTING updates are read before either is acknowledged, because the
      // driver skips unmatched events: waiting for one task's TASK_RUNNING first would drop the
      // other's TASK_STARTING and leave the test waiting for the agent's resend.
      const inState = (state: string) => (event: Event) =>
        event.type === 'UPDATE' && event.update?.status.state === state;
      const starting: Event[] = [];
      for (let count = 0; count < offers.length; count++) {
        starting.push(await scheduler.next(inState('TASK_STARTING')));
      }
      for (const event of starting) {
        await scheduler.acknowledge(event.update!.status);
      }
      const seen: string[] = [];
      for (let count = 0; count < offers.length; count++) {
        const running = await scheduler.next(inState('TASK_RUNNING'));
        seen.push(...addresses(running.update!.status));
      }

      expect(seen.sort()).toEqual(['172.18.0.2', '172.18.0.3']);
    } finally {
      await two.stop();
    }
  });
});
