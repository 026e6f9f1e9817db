import { describe, expect, it } from 'vitest';
import { DirectLaunch, type DirectLaunchCalls } from '../../cli/direct-launch.js';
import { LaunchFailedError } from '../../cli/errors.js';
import { validateRequestBody } from '../../cli/validate-request.js';
import type { Offer, TaskStatus } from '../../shared/mesos/types.js';
import { captureOutput, silentLogger } from './support/capture.js';

interface RecordedCall {
  name: string;
  args: unknown[];
}

function recordingCalls(failing: string[] = []): {
  calls: DirectLaunchCalls;
  recorded: RecordedCall[];
} {
  const recorded: RecordedCall[] = [];
  const record =
    (name: string) =>
    async (...args: unknown[]) => {
      recorded.push({ name, args });
      if (failing.includes(name)) {
        throw new Error(`${name} refused`);
      }
    };

  return {
    recorded,
    calls: {
      accept: record('accept'),
      decline: record('decline'),
      acknowledge: record('acknowledge'),
      suppress: record('suppress'),
      kill: record('kill'),
    },
  };
}

function offer(id: string, agentId: string, cpus: number): Offer {
  return {
    id: { value: id },
    framework_id: { value: 'framework-1' },
    agent_id: { value: agentId },
    hostname: `${agentId}.example`,
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: cpus }, role: '*' },
      { name: 'mem', type: 'SCALAR', scalar: { value: 1024 }, role: '*' },
      {
        name: 'ports',
        type: 'RANGES',
        ranges: { range: [{ begin: '31000', end: '32000' }] },
        role: '*',
      },
    ],
  };
}

const UUID = new Uint8Array(16).fill(7);

function createLaunch(failing: string[] = []) {
  const request = validateRequestBody({
    image: 'centos:6.6',
    command: 'sleep 600',
    network: 'bridge',
    ports: [{ container_port: 8888 }],
    cpus: 0.1,
    mem: 50,
    timeout_seconds: 60,
  });
  const pending = { launchId: '0b8e7f7e-8f0a-4d6c-9a57-3c1e2d4f5a6b', attempt: 1, request };
  const { calls, recorded } = recordingCalls(failing);
  const { output, lines } = captureOutput();

  const launch = new DirectLaunch({
    pending,
    calls,
    output,
    diagnostics: silentLogger,
    role: '*',
  });

  return { launch, recorded, lines };
}

function status(
  taskId: string,
  state: TaskStatus['state'],
  extra: Partial<TaskStatus> = {},
): TaskStatus {
  return {
    task_id: { value: taskId },
    state,
    agent_id: { value: 'agent-2' },
    source: 'SOURCE_EXECUTOR',
    uuid: UUID,
    ...extra,
  };
}

describe('DirectLaunch', () => {
  it('accepts the fitting offer and declines the rest', async () => {
    const { launch, recorded, lines } = createLaunch();

    await launch.handleOffers([offer('o1', 'agent-1', 0.05), offer('o2', 'agent-2', 2)]);

    expect(recorded.map((call) => call.name)).toEqual(['accept', 'decline', 'suppress']);
    expect(recorded[0]?.args[0]).toEqual([{ value: 'o2' }]);
    expect(recorded[1]?.args).toEqual([[{ value: 'o1' }], { refuse_seconds: 3600 }]);
    expect(launch.agentId).toBe('agent-2');
    expect(launch.taskId).toMatch(/^ml-0b8e7f7e-.*-a1$/);
    expect(lines[0]?.msg).toBe('command task');
    expect(lines[0]?.task).toMatchObject({
      task_id: { value: launch.taskId },
      container: { type: 'DOCKER', docker: { image: 'centos:6.6', network: 'BRIDGE' } },
    });
  });

  it('declines offers that do not fit', async () => {
    const { launch, recorded } = createLaunch();

    await launch.handleOffers([offer('o1', 'agent-1', 0.05)]);

    expect(recorded).toEqual([
      { name: 'decline', args: [[{ value: 'o1' }], { refuse_seconds: 5 }] },
    ]);
    expect(launch.offersSeen).toBe(1);
    expect(launch.taskId).toBeUndefined();
  });

  it('declines offers after launching', async () => {
    const { launch, recorded } = createLaunch();
    await launch.handleOffers([offer('o1', 'agent-1', 2)]);

    await launch.handleOffers([offer('o2', 'agent-2', 2)]);

    expect(recorded.at(-1)).toEqual({
      name: 'decline',
      args: [[{ value: 'o2' }], { refuse_seconds: 3600 }],
    });
  });

  it('settles at TASK_RUNNING after acknowledging', async () => {
    const { launch, recorded, lines } = createLaunch();
    await launch.handleOffers([offer('o1', 'agent-2', 2)]);
    const taskId = launch.taskId ?? '';

    await launch.handleUpdate(status(taskId, 'TASK_STARTING'));
    await launch.handleUpdate(status(taskId, 'TASK_RUNNING'));

    await expect(launch.settled).resolves.toMatchObject({ state: 'TASK_RUNNING' });
    const acks = recorded.filter((call) => call.name === 'acknowledge');
    expect(acks.map((call) => call.args)).toEqual([
      [{ value: 'agent-2' }, { value: taskId }, UUID],
      [{ value: 'agent-2' }, { value: taskId }, UUID],
    ]);
    expect(
      lines.filter((line) => line.msg === 'received task status').map((line) => line.status),
    ).toEqual(['TASK_STARTING', 'TASK_RUNNING']);
  });

  it('does not acknowledge an update without uuid', async () => {
    const { launch, recorded } = createLaunch();
    await launch.handleOffers([offer('o1', 'agent-2', 2)]);

    await launch.handleUpdate(
      status(launch.taskId ?? '', 'TASK_ERROR', {
        uuid: undefined,
        source: 'SOURCE_MASTER',
        reason: 'REASON_TASK_INVALID',
        message: 'Task uses no resources',
      }),
    );

    expect(recorded.some((call) => call.name === 'acknowledge')).toBe(false);
    await expect(launch.settled).rejects.toThrow(
      `task ${launch.taskId} ended in TASK_ERROR (SOURCE_MASTER, REASON_TASK_INVALID): Task uses no resources`,
    );
  });

  it('rejects at TASK_FAILED', async () => {
    const { launch } = createLaunch();
    await launch.handleOffers([offer('o1', 'agent-2', 2)]);

    await launch.handleUpdate(status(launch.taskId ?? '', 'TASK_FAILED', { message: 'exit 1' }));

    await expect(launch.settled).rejects.toBeInstanceOf(LaunchFailedError);
  });

  it('writes the status line in the origin shape', async () => {
    const { launch, lines } = createLaunch();
    await launch.handleOffers([offer('o1', 'agent-2', 2)]);
    const containerStatus = { network_infos: [{ ip_addresses: [{ ip_address: '172.17.0.2' }] }] };

    await launch.handleUpdate(
      status(launch.taskId ?? '', 'TASK_RUNNING', { container_status: containerStatus }),
    );

    const line = lines.at(-1) ?? {};
    expect(Object.keys(line).sort()).toEqual(
      ['containerStatus', 'level', 'msg', 'reason', 'source', 'status', 'taskID', 'time'].sort(),
    );
    expect(line).toMatchObject({
      level: 'info',
      msg: 'received task status',
      taskID: launch.taskId,
      status: 'TASK_RUNNING',
      source: 'SOURCE_EXECUTOR',
      reason: '',
      containerStatus,
    });
  });

  it('keeps going when DECLINE and ACKNOWLEDGE fail', async () => {
    const { launch } = createLaunch(['decline', 'acknowledge', 'suppress']);
    await launch.handleOffers([offer('o1', 'agent-1', 0.05), offer('o2', 'agent-2', 2)]);

    await launch.handleUpdate(status(launch.taskId ?? '', 'TASK_RUNNING'));

    await expect(launch.settled).resolves.toMatchObject({ state: 'TASK_RUNNING' });
  });

  it('throws when ACCEPT fails', async () => {
    const { launch } = createLaunch(['accept']);

    await expect(launch.handleOffers([offer('o1', 'agent-2', 2)])).rejects.toThrow(
      'accept refused',
    );
  });

  it('kills a launched task that has not settled', async () => {
    const { launch, recorded } = createLaunch();
    await launch.handleOffers([offer('o1', 'agent-2', 2)]);

    expect(await launch.killIfUnsettled()).toBe(true);
    expect(recorded.at(-1)).toEqual({
      name: 'kill',
      args: [{ value: launch.taskId }, { value: 'agent-2' }],
    });
  });

  it('kills nothing before launching', async () => {
    const { launch, recorded } = createLaunch();

    expect(await launch.killIfUnsettled()).toBe(false);
    expect(recorded).toEqual([]);
  });
});
