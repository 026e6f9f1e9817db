import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../cli/errors.js';
import { LaunchApiStandIn, launchStatus } from './support/launch-api-stand-in.js';
import { killRunningCliProcesses, runCliProcess } from './support/run-cli.js';

afterEach(() => {
  killRunningCliProcesses();
});

describe('mesos-launch process', () => {
  it('prints help and exits 0', async () => {
    const run = await runCliProcess(['--help']);

    expect(run.exitCode).toBe(EXIT_CODES.success);
    expect(run.stdout).toMatch(/^Usage: mesos-launch /);
    expect(run.stderr).toBe('');
  });

  it('exits 2 with one line for an unknown flag', async () => {
    const run = await runCliProcess(['-master', '127.0.0.1:5050', '-image', 'x', '-foo']);

    expect(run.exitCode).toBe(EXIT_CODES.usage);
    expect(run.stderr).toBe(
      'mesos-launch: unknown flag -foo: run mesos-launch --help for the list of flags\n',
    );
    expect(run.stdout).toBe('');
  });

  it('exits 2 for -networkName without user', async () => {
    const run = await runCliProcess([
      '-master=127.0.0.1:5050',
      '-image=centos',
      '-network=bridge',
      '-networkName=app-net',
    ]);

    expect(run.exitCode).toBe(EXIT_CODES.usage);
    expect(run.stderr).toMatch(/^mesos-launch: invalid -networkName: .*\n$/);
  });

  it('exits 4 when the master is unreachable', async () => {
    const run = await runCliProcess([
      '-master',
      '127.0.0.1:1',
      '-image',
      'centos',
      '-timeout',
      '1',
    ]);

    expect(run.exitCode).toBe(EXIT_CODES.unreachable);
    const lastLine = run.stderr.trimEnd().split('\n').at(-1);
    expect(lastLine).toMatch(/^mesos-launch: could not subscribe to 127\.0\.0\.1:1 after \d tries/);
    expect(lastLine).toContain('ECONNREFUSED');
  });

  it('gives up on an unreachable master before -timeout', async () => {
    const run = await runCliProcess(['-master', '127.0.0.1:1', '-image', 'centos']);

    expect(run.exitCode).toBe(EXIT_CODES.unreachable);
    const lastLine = run.stderr.trimEnd().split('\n').at(-1);
    expect(lastLine).toMatch(/^mesos-launch: could not subscribe to 127\.0\.0\.1:1 after 5 tries/);
  });
});

describe('mesos-launch process in API mode', () => {
  const standIn = new LaunchApiStandIn();
  let baseUrl: string;

  beforeAll(async () => {
    baseUrl = await standIn.start();
  });

  afterAll(async () => {
    await standIn.stop();
  });

  it('exits 0 at TASK_RUNNING', async () => {
    standIn.statuses = [
      launchStatus(standIn.launchId, ['QUEUED', 'LAUNCHING', 'TASK_STARTING', 'TASK_RUNNING'], {
        ip_addresses: ['172.17.0.2'],
      }),
    ];

    const run = await runCliProcess([
      '--api',
      baseUrl,
      '-image',
      'centos:6.6',
      '-network=bridge',
      '-expose',
      '8888',
    ]);

    expect(run.exitCode).toBe(EXIT_CODES.success);
    expect(run.lines.map((line) => line.state ?? line.status)).toEqual([
      undefined,
      'QUEUED',
      'LAUNCHING',
      'TASK_STARTING',
      'TASK_RUNNING',
    ]);
  });

  it('exits 1 at EXPIRED', async () => {
    standIn.statuses = [launchStatus(standIn.launchId, ['QUEUED', 'EXPIRED'])];

    const run = await runCliProcess(['--api', baseUrl, '-image', 'centos:6.6']);

    expect(run.exitCode).toBe(EXIT_CODES.launchFailed);
    expect(run.stderr).toBe(`mesos-launch: launch ${standIn.launchId} ended in EXPIRED\n`);
  });
});
