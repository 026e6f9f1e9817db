import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../cli/errors.js';
import { defaultAgents, startEmulator, type Emulator } from '../../emulator/index.js';
import { originArguments, withMaster, type OriginMode } from './support/origin-command-lines.js';
import { killRunningCliProcesses, runCliProcess, type CliRun } from './support/run-cli.js';

const silent = pino({ level: 'silent' });

afterEach(() => {
  killRunningCliProcesses();
});

interface TaskLine {
  time: string;
  level: string;
  msg: string;
  taskID: string;
  status: string;
  source: string;
  reason: string;
  containerStatus: { network_infos?: Array<{ ip_addresses?: Array<{ ip_address?: string }> }> };
}

interface CommandTask {
  task_id: { value: string };
  agent_id: { value: string };
  resources: Array<{ name: string; ranges?: { range: Array<{ begin: string; end: string }> } }>;
  container: {
    docker: {
      network: string;
      port_mappings?: Array<{ host_port: number; container_port: number; protocol: string }>;
    };
    network_infos?: Array<{ name?: string }>;
  };
}

function taskLines(run: CliRun): TaskLine[] {
  return run.lines.filter((line) => line.msg === 'received task status') as unknown as TaskLine[];
}

function commandTask(run: CliRun): CommandTask {
  const line = run.lines.find((candidate) => candidate.msg === 'command task');
  expect(line).toBeDefined();
  return line?.task as CommandTask;
}

function ipOf(line: TaskLine | undefined): string | undefined {
  return line?.containerStatus.network_infos?.[0]?.ip_addresses?.[0]?.ip_address;
}

describe('mesos-launch -master against the emulator', () => {
  let emulator: Emulator;
  let master: string;

  beforeAll(async () => {
    emulator = await startEmulator({
      agents: defaultAgents(3),
      allocationIntervalMs: 50,
      logger: silent,
    });
    master = new URL(emulator.url).host;
  });

  afterAll(async () => {
    await emulator.stop();
  });

  function agentIpOf(agentId: string): string | undefined {
    return emulator.control.agents().find((agent) => agent.id === agentId)?.ip;
  }

  async function runOrigin(mode: OriginMode, extra: string[] = []): Promise<CliRun> {
    return runCliProcess([
      ...withMaster(originArguments(mode), master),
      '-timeout',
      '20',
      ...extra,
    ]);
  }

  it.each(['host', 'bridge', 'none', 'user'] as const)('runs the %s example', async (mode) => {
    const run = await runOrigin(mode);

    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(EXIT_CODES.success);
    const task = commandTask(run);
    const lines = taskLines(run);
    expect(lines.map((line) => line.status)).toEqual(['TASK_STARTING', 'TASK_RUNNING']);
    for (const line of lines) {
      expect(line.level).toBe('info');
      expect(line.taskID).toBe(task.task_id.value);
      expect(line.source).toBe('SOURCE_EXECUTOR');
      expect(line.reason).toBe('');
      expect(Number.isNaN(Date.parse(line.time))).toBe(false);
    }
    expect(task.container.docker.network).toBe(mode.toUpperCase());
  });

  it('reports the bridge IP and port mapping', async () => {
    const run = await runOrigin('bridge');

    const task = commandTask(run);
    const mapping = task.container.docker.port_mappings?.[0];
    expect(mapping?.container_port).toBe(8888);
    expect(mapping?.protocol).toBe('tcp');
    expect(mapping?.host_port).toBeGreaterThanOrEqual(31000);
    expect(mapping?.host_port).toBeLessThanOrEqual(32000);
    const ports = task.resources.find((resource) => resource.name === 'ports');
    expect(ports?.ranges?.range).toEqual([
      { begin: String(mapping?.host_port), end: String(mapping?.host_port) },
    ]);
    expect(ipOf(taskLines(run).at(-1))).toMatch(/^172\.17\.\d+\.\d+$/);
  });

  it.each(['host', 'none'] as const)('reports the agent IP with %s', async (mode) => {
    const run = await runOrigin(mode);

    const task = commandTask(run);
    expect(ipOf(taskLines(run).at(-1))).toBe(agentIpOf(task.agent_id.value));
  });

  it('reports the app-net address with user', async () => {
    const run = await runOrigin('user');

    const task = commandTask(run);
    expect(task.container.network_infos).toEqual([{ name: 'app-net' }]);
    const ip = ipOf(taskLines(run).at(-1));
    expect(ip).toMatch(/^172\.18\.\d+\.\d+$/);
    expect(ip).not.toBe(agentIpOf(task.agent_id.value));
  });

  it('speaks JSON with -contentType json', async () => {
    const run = await runOrigin('host', ['-contentType', 'json']);

    expect(run.exitCode).toBe(EXIT_CODES.success);
    expect(taskLines(run).at(-1)?.status).toBe('TASK_RUNNING');
  });

  it('leaves the task running without TEARDOWN', async () => {
    const run = await runOrigin('host');
    const taskId = commandTask(run).task_id.value;
    const frameworkId = String(run.lines.find((line) => line.msg === 'subscribed')?.frameworkID);

    const task = emulator.control.tasks({ frameworkId }).find((entry) => entry.taskId === taskId);
    expect(task?.state).toBe('TASK_RUNNING');
    const framework = emulator.control.frameworks().find((entry) => entry.id === frameworkId);
    expect(framework?.failoverTimeoutSeconds).toBe(604_800);
    const calls = emulator.control.calls().filter((call) => call.frameworkId === frameworkId);
    expect(calls.map((call) => call.type)).not.toContain('TEARDOWN');
    expect(calls.filter((call) => call.type === 'ACKNOWLEDGE')).toHaveLength(2);
  });

  it('exits 1 when the network is missing', async () => {
    const run = await runCliProcess([
      '-master',
      master,
      '-image',
      'centos:6.6',
      '-network',
      'user',
      '-networkName',
      'missing-net',
      '-timeout',
      '20',
    ]);

    expect(run.exitCode).toBe(EXIT_CODES.launchFailed);
    expect(taskLines(run).map((line) => line.status)).toEqual(['TASK_STARTING', 'TASK_FAILED']);
    expect(run.stderr).toMatch(
      /^mesos-launch: task ml-\S+ ended in TASK_FAILED \(SOURCE_EXECUTOR\): .+\n$/,
    );
  });

  it('exits 3 when no offer fits', async () => {
    const run = await runCliProcess([
      '-master',
      master,
      '-image',
      'centos',
      '-cpus',
      '64',
      '-timeout',
      '1',
    ]);

    expect(run.exitCode).toBe(EXIT_CODES.timeout);
    expect(run.stderr).toMatch(
      /^mesos-launch: timed out after 1 s: none of the \d+ offer\(s\) received had 64 CPUs, 50 MB and 0 port\(s\)\n$/,
    );
    expect(run.lines.some((line) => line.msg === 'command task')).toBe(false);
  });
});

describe('mesos-launch -master with a slow task start', () => {
  let emulator: Emulator;
  let master: string;

  beforeAll(async () => {
    emulator = await startEmulator({
      agents: defaultAgents(1),
      allocationIntervalMs: 50,
      taskStartDelayMs: 60_000,
      logger: silent,
    });
    master = new URL(emulator.url).host;
  });

  afterAll(async () => {
    await emulator.stop();
  });

  function killCallsOf(run: CliRun): number {
    const frameworkId = String(run.lines.find((line) => line.msg === 'subscribed')?.frameworkID);
    return emulator.control
      .calls()
      .filter((call) => call.frameworkId === frameworkId && call.type === 'KILL').length;
  }

  it('kills the task on Ctrl-C before TASK_RUNNING', async () => {
    const run = await runCliProcess(['-master', master, '-image', 'centos', '-timeout', '20'], {
      onLine: (line, child) => {
        if (line.status === 'TASK_STARTING') {
          child.kill('SIGINT');
        }
      },
    });

    expect(run.exitCode).toBe(EXIT_CODES.interrupted);
    expect(run.stderr).toBe('mesos-launch: interrupted by SIGINT\n');
    expect(run.lines.at(-1)?.msg).toBe('task killed');
    expect(killCallsOf(run)).toBe(1);
  });

  it('kills the task at the timeout', async () => {
    const run = await runCliProcess(['-master', master, '-image', 'centos', '-timeout', '2']);

    expect(run.exitCode).toBe(EXIT_CODES.timeout);
    expect(run.stderr).toMatch(
      /^mesos-launch: timed out after 2 s waiting for TASK_RUNNING: task ml-\S+ is TASK_STARTING; killing it\n$/,
    );
    expect(killCallsOf(run)).toBe(1);
  });
});
