import { describe, expect, it } from 'vitest';
import type { LaunchRequest } from '../../shared/launch/types.js';
import type { TaskInfo } from '../../shared/mesos/types.js';
import {
  buildTaskInfo,
  defaultTaskName,
  placeLaunches,
  type PendingLaunch,
} from '../../worker/placement/index.js';
import { fixedRandom, LAUNCH_ID, offer, request } from './fixtures.js';

const IMAGE = 'ugistry.ucloud.cn/library/centos:6.6';
const TASK_ID = `ml-${LAUNCH_ID}-a1`;

function launchOf(overrides: Partial<LaunchRequest>): PendingLaunch {
  return { launchId: LAUNCH_ID, attempt: 1, request: request({ image: IMAGE, ...overrides }) };
}

/** Places one launch on a default agent's offer with the first free port first. */
function placeOnly(overrides: Partial<LaunchRequest>): TaskInfo {
  const result = placeLaunches([launchOf(overrides)], [offer()], {
    role: '*',
    random: fixedRandom(0),
  });
  expect(result.placements).toHaveLength(1);
  return result.placements[0]?.taskInfo as TaskInfo;
}

const cpus = { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 }, role: '*' };
const mem = { name: 'mem', type: 'SCALAR', scalar: { value: 50 }, role: '*' };
const portsResource = (...ranges: Array<[string, string]>) => ({
  name: 'ports',
  type: 'RANGES',
  ranges: { range: ranges.map(([begin, end]) => ({ begin, end })) },
  role: '*',
});

describe('task info', () => {
  it('builds a BRIDGE task with one mapping', () => {
    const taskInfo = placeOnly({
      network: 'bridge',
      ports: [{ container_port: 8888, protocol: 'tcp' }],
      command: 'ifconfig && sleep 3000',
    });

    expect(taskInfo).toStrictEqual({
      name: 'centos',
      task_id: { value: TASK_ID },
      agent_id: { value: 'agent-1' },
      resources: [cpus, mem, portsResource(['31000', '31000'])],
      command: {
        shell: true,
        value: 'ifconfig && sleep 3000',
        environment: {
          variables: [
            { name: 'PORT0', type: 'VALUE', value: '31000' },
            { name: 'PORT_8888', type: 'VALUE', value: '31000' },
          ],
        },
      },
      container: {
        type: 'DOCKER',
        docker: {
          image: IMAGE,
          network: 'BRIDGE',
          port_mappings: [{ host_port: 31000, container_port: 8888, protocol: 'tcp' }],
          force_pull_image: false,
        },
      },
    });
  });

  it('builds a HOST task with reserved ports', () => {
    const taskInfo = placeOnly({
      network: 'host',
      ports: [{ host_port: 0, protocol: 'tcp' }, { protocol: 'udp' }],
      command: 'ifconfig && sleep 600',
    });

    expect(taskInfo).toStrictEqual({
      name: 'centos',
      task_id: { value: TASK_ID },
      agent_id: { value: 'agent-1' },
      resources: [cpus, mem, portsResource(['31000', '31001'])],
      command: {
        shell: true,
        value: 'ifconfig && sleep 600',
        environment: {
          variables: [
            { name: 'PORT0', type: 'VALUE', value: '31000' },
            { name: 'PORT1', type: 'VALUE', value: '31001' },
          ],
        },
      },
      container: {
        type: 'DOCKER',
        docker: { image: IMAGE, network: 'HOST', force_pull_image: false },
      },
    });
  });

  it('builds a NONE task', () => {
    const taskInfo = placeOnly({ network: 'none', command: 'ifconfig && sleep 600' });

    expect(taskInfo).toStrictEqual({
      name: 'centos',
      task_id: { value: TASK_ID },
      agent_id: { value: 'agent-1' },
      resources: [cpus, mem],
      command: { shell: true, value: 'ifconfig && sleep 600' },
      container: {
        type: 'DOCKER',
        docker: { image: IMAGE, network: 'NONE', force_pull_image: false },
      },
    });
  });

  it('builds a USER task with its network', () => {
    const taskInfo = placeOnly({
      network: 'user',
      network_name: 'app-net',
      ports: [{ container_port: 80, protocol: 'tcp' }],
      force_pull_image: true,
    });

    expect(taskInfo).toStrictEqual({
      name: 'centos',
      task_id: { value: TASK_ID },
      agent_id: { value: 'agent-1' },
      resources: [cpus, mem, portsResource(['31000', '31000'])],
      command: {
        shell: false,
        environment: {
          variables: [
            { name: 'PORT0', type: 'VALUE', value: '31000' },
            { name: 'PORT_80', type: 'VALUE', value: '31000' },
          ],
        },
      },
      container: {
        type: 'DOCKER',
        docker: {
          image: IMAGE,
          network: 'USER',
          port_mappings: [{ host_port: 31000, container_port: 80, protocol: 'tcp' }],
          force_pull_image: true,
        },
        network_infos: [{ name: 'app-net' }],
      },
    });
  });

  it('runs a command through the shell', () => {
    const taskInfo = placeOnly({ command: 'echo hi', args: ['ignored'] });
    expect(taskInfo.command).toStrictEqual({ shell: true, value: 'echo hi' });
  });

  it('passes args to the entrypoint', () => {
    const taskInfo = placeOnly({ args: ['--port', '8080'] });
    expect(taskInfo.command).toStrictEqual({ shell: false, arguments: ['--port', '8080'] });
  });

  it('runs the image CMD without command or args', () => {
    expect(placeOnly({}).command).toStrictEqual({ shell: false });
    expect(placeOnly({ args: [] }).command).toStrictEqual({ shell: false });
  });

  it('puts env before port variables', () => {
    const taskInfo = placeOnly({
      env: { MODE: 'prod', PORT0: '1' },
      ports: [{ host_port: 31005, protocol: 'tcp' }],
    });

    expect(taskInfo.command?.environment?.variables).toStrictEqual([
      { name: 'MODE', type: 'VALUE', value: 'prod' },
      { name: 'PORT0', type: 'VALUE', value: '31005' },
    ]);
  });

  it('names one PORT_ variable per container port', () => {
    const taskInfo = placeOnly({
      network: 'bridge',
      ports: [
        { container_port: 53, protocol: 'tcp' },
        { container_port: 53, protocol: 'udp' },
      ],
    });

    expect(taskInfo.command?.environment?.variables?.map((variable) => variable.name)).toEqual([
      'PORT0',
      'PORT1',
      'PORT_53',
    ]);
  });

  it('copies labels', () => {
    const taskInfo = placeOnly({ labels: { team: 'search', tier: 'web' } });
    expect(taskInfo.labels).toStrictEqual({
      labels: [
        { key: 'team', value: 'search' },
        { key: 'tier', value: 'web' },
      ],
    });
  });

  it('uses the request name', () => {
    expect(placeOnly({ name: 'web-1' }).name).toBe('web-1');
  });

  it('derives the task id from launch and attempt', () => {
    const launch = { ...launchOf({}), attempt: 3 };
    const taskInfo = buildTaskInfo(launch, 'agent-9', [], []);

    expect(taskInfo.task_id).toStrictEqual({ value: `ml-${LAUNCH_ID}-a3` });
    expect(taskInfo.agent_id).toStrictEqual({ value: 'agent-9' });
  });

  it('never sets a hostname', () => {
    for (const network of ['host', 'bridge', 'none', 'user'] as const) {
      const taskInfo = placeOnly({ network, network_name: network === 'user' ? 'n' : undefined });
      expect(taskInfo.container).not.toHaveProperty('hostname');
    }
  });
});

describe('defaultTaskName', () => {
  it('takes the repository name', () => {
    expect(defaultTaskName('ugistry.ucloud.cn/library/centos:6.6')).toBe('centos');
    expect(defaultTaskName('nginx')).toBe('nginx');
    expect(defaultTaskName('localhost:5000/team/app')).toBe('app');
    expect(defaultTaskName('redis@sha256:abcd')).toBe('redis');
  });

  it('prefixes the framework name', () => {
    expect(defaultTaskName('nginx:1.27', 'mesos-launch')).toBe('mesos-launch-nginx');
  });

  it('falls back for an empty image', () => {
    expect(defaultTaskName('')).toBe('task');
  });
});
