import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollLaunch, startProduct, submitLaunch, type Product } from './support.js';

const IMAGE = 'ugistry.ucloud.cn/library/centos:6.6';
const AGENT_IPS = ['127.0.1.1', '127.0.1.2', '127.0.1.3'];
const AGENT_HOSTNAMES = ['agent-1', 'agent-2', 'agent-3'];

const isRunning = (status: { state: string; terminal: boolean }) =>
  status.state === 'TASK_RUNNING' || status.terminal;

describe.each(['protobuf', 'json'] as const)('origin examples over %s', (contentType) => {
  let product: Product;
  let baseUrl: string;

  beforeAll(async () => {
    product = await startProduct(contentType);
    baseUrl = product.functionServer.url;
  });

  afterAll(async () => {
    await product.stop();
  });

  it('host network reports the agent IP', async () => {
    const id = await submitLaunch(baseUrl, {
      image: IMAGE,
      network: 'host',
      command: 'ifconfig && sleep 600',
    });

    const status = await pollLaunch(baseUrl, id, isRunning);

    expect(status.state).toBe('TASK_RUNNING');
    expect(AGENT_HOSTNAMES).toContain(status.hostname);
    const agentIp = AGENT_IPS[AGENT_HOSTNAMES.indexOf(status.hostname ?? '')];
    expect(status.ip_addresses).toEqual([agentIp]);
    expect(status.ports).toEqual([]);
    expect(status.source).toBe('SOURCE_EXECUTOR');
  });

  it('bridge network maps 8888 to an offered host port', async () => {
    const id = await submitLaunch(baseUrl, {
      image: IMAGE,
      network: 'bridge',
      ports: [{ container_port: 8888 }],
      command: 'ifconfig && sleep 3000',
    });

    const status = await pollLaunch(baseUrl, id, isRunning);

    expect(status.state).toBe('TASK_RUNNING');
    expect(status.ip_addresses).toHaveLength(1);
    expect(status.ip_addresses[0]).toMatch(/^172\.17\.\d+\.\d+$/);
    expect(status.ports).toHaveLength(1);
    expect(status.ports[0]?.container_port).toBe(8888);
    expect(status.ports[0]?.protocol).toBe('tcp');
    expect(status.ports[0]?.host_port).toBeGreaterThanOrEqual(31000);
    expect(status.ports[0]?.host_port).toBeLessThanOrEqual(32000);

    const task = product.emulator.control.tasks().find((t) => t.taskId === status.task_id);
    const portsResource = task?.resources.find((resource) => resource.name === 'ports');
    const hostPort = String(status.ports[0]?.host_port);
    expect(portsResource?.ranges?.range).toEqual([{ begin: hostPort, end: hostPort }]);
  });

  it('none network reports the agent IP', async () => {
    const id = await submitLaunch(baseUrl, {
      image: IMAGE,
      network: 'none',
      command: 'ifconfig && sleep 600',
    });

    const status = await pollLaunch(baseUrl, id, isRunning);

    expect(status.state).toBe('TASK_RUNNING');
    const agentIp = AGENT_IPS[AGENT_HOSTNAMES.indexOf(status.hostname ?? '')];
    expect(status.ip_addresses).toEqual([agentIp]);
  });

  it('user network reports an address on app-net', async () => {
    const id = await submitLaunch(baseUrl, {
      image: IMAGE,
      network: 'user',
      network_name: 'app-net',
      ports: [{ container_port: 8080 }],
      command: 'ifconfig && sleep 600',
    });

    const status = await pollLaunch(baseUrl, id, isRunning);

    expect(status.state).toBe('TASK_RUNNING');
    expect(status.network_name).toBe('app-net');
    expect(status.ip_addresses).toHaveLength(1);
    expect(status.ip_addresses[0]).not.toMatch(/^172\.17\./);
    expect(AGENT_IPS).not.toContain(status.ip_addresses[0]);
    expect(status.ports[0]?.container_port).toBe(8080);
  });

  it('user network the agents lack ends TASK_FAILED', async () => {
    const id = await submitLaunch(baseUrl, {
      image: IMAGE,
      network: 'user',
      network_name: 'missing-net',
      command: 'sleep 600',
    });

    const status = await pollLaunch(baseUrl, id, (s) => s.terminal, 20_000);

    expect(status.state).toBe('TASK_FAILED');
    expect(status.history.map((entry) => entry.state)).toContain('TASK_STARTING');
  });
});
