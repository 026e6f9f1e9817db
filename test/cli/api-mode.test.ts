import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runApiMode } from '../../cli/api-mode.js';
import {
  EXIT_CODES,
  InterruptedError,
  LaunchFailedError,
  LaunchTimeoutError,
  UnreachableError,
} from '../../cli/errors.js';
import { toCliOptions, type ApiTarget, type LaunchOptions } from '../../cli/options.js';
import { parseArguments } from '../../cli/parse-arguments.js';
import { buildRequestBody } from '../../cli/request.js';
import { captureOutput, silentLogger } from './support/capture.js';
import { LaunchApiStandIn, launchStatus } from './support/launch-api-stand-in.js';

let standIn: LaunchApiStandIn;
let baseUrl: string;

beforeEach(async () => {
  standIn = new LaunchApiStandIn();
  baseUrl = await standIn.start();
});

afterEach(async () => {
  await standIn.stop();
});

function optionsFor(extra: string[]): { launch: LaunchOptions; target: ApiTarget } {
  const argv = [
    '--api',
    baseUrl,
    '-image',
    'centos:6.6',
    '-network',
    'bridge',
    '-expose',
    '8888',
    ...extra,
  ];
  const parsed = parseArguments(argv);
  if (parsed.help) {
    throw new Error('unexpected help request');
  }

  const options = toCliOptions(parsed.flags, {});
  if (options.target.kind !== 'api') {
    throw new Error('expected API mode');
  }

  return { launch: options.launch, target: options.target };
}

async function run(extra: string[] = [], signal = new AbortController().signal) {
  const { launch, target } = optionsFor(extra);
  const { output, lines } = captureOutput();
  const context = { output, diagnostics: silentLogger, signal, pollMs: { initial: 5, max: 20 } };
  const outcome = await runApiMode(launch, target, buildRequestBody(launch), context).then(
    () => undefined,
    (error: unknown) => error,
  );

  return { outcome, lines };
}

const RUNNING_EXTRA = {
  hostname: 'agent-1',
  ip_addresses: ['172.17.0.2'],
  ports: [{ container_port: 8888, host_port: 31000, protocol: 'tcp' }],
};

describe('runApiMode', () => {
  it('posts the request with token and idempotency key', async () => {
    standIn.statuses = [
      launchStatus(standIn.launchId, ['QUEUED', 'LAUNCHING', 'TASK_STARTING', 'TASK_RUNNING']),
    ];

    const { outcome } = await run(['--token', 'secret-token']);

    expect(outcome).toBeUndefined();
    const post = standIn.requests[0];
    expect(post?.method).toBe('POST');
    expect(post?.headers.authorization).toBe('Bearer secret-token');
    expect(post?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(post?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(post?.body ?? '')).toEqual({
      image: 'centos:6.6',
      network: 'bridge',
      ports: [{ container_port: 8888 }],
      cpus: 0.1,
      mem: 50,
      timeout_seconds: 120,
    });
  });

  it('prints one line per state change', async () => {
    const id = standIn.launchId;
    standIn.statuses = [
      launchStatus(id, ['QUEUED']),
      launchStatus(id, ['QUEUED']),
      launchStatus(id, ['QUEUED', 'LAUNCHING', 'TASK_STARTING']),
      launchStatus(id, ['QUEUED', 'LAUNCHING', 'TASK_STARTING', 'TASK_RUNNING'], RUNNING_EXTRA),
    ];

    const { outcome, lines } = await run();

    expect(outcome).toBeUndefined();
    expect(lines.map((line) => line.msg)).toEqual([
      'launch submitted',
      'launch state',
      'launch state',
      'received task status',
      'received task status',
    ]);
    expect(lines.map((line) => line.state ?? line.status)).toEqual([
      undefined,
      'QUEUED',
      'LAUNCHING',
      'TASK_STARTING',
      'TASK_RUNNING',
    ]);
  });

  it('prints the running task in the direct-mode shape', async () => {
    const id = standIn.launchId;
    standIn.statuses = [
      launchStatus(id, ['QUEUED', 'LAUNCHING', 'TASK_STARTING', 'TASK_RUNNING'], RUNNING_EXTRA),
    ];

    const { lines } = await run();
    const running = lines[lines.length - 1];

    expect(running).toMatchObject({
      level: 'info',
      msg: 'received task status',
      launchID: id,
      taskID: `ml-${id}-a1`,
      status: 'TASK_RUNNING',
      source: 'SOURCE_EXECUTOR',
      reason: '',
      containerStatus: { network_infos: [{ ip_addresses: [{ ip_address: '172.17.0.2' }] }] },
      hostname: 'agent-1',
      ports: [{ container_port: 8888, host_port: 31000, protocol: 'tcp' }],
    });
    expect(Date.parse(String(running?.time))).not.toBeNaN();
  });

  it('prints a state missing from history', async () => {
    const id = standIn.launchId;
    standIn.statuses = [
      launchStatus(id, ['QUEUED', 'LAUNCHING', 'TASK_STARTING'], {
        ...RUNNING_EXTRA,
        state: 'TASK_RUNNING',
      }),
    ];

    const { outcome, lines } = await run();

    expect(outcome).toBeUndefined();
    expect(lines.at(-1)).toMatchObject({ status: 'TASK_RUNNING', hostname: 'agent-1' });
  });

  it('succeeds at TASK_FINISHED', async () => {
    standIn.statuses = [
      launchStatus(standIn.launchId, ['QUEUED', 'LAUNCHING', 'TASK_STARTING', 'TASK_FINISHED']),
    ];

    const { outcome } = await run();

    expect(outcome).toBeUndefined();
  });

  it('fails at TASK_FAILED with the reason', async () => {
    standIn.statuses = [
      launchStatus(standIn.launchId, ['QUEUED', 'LAUNCHING', 'TASK_FAILED'], {
        source: 'SOURCE_EXECUTOR',
        reason: 'REASON_CONTAINER_LAUNCH_FAILED',
        message: 'network missing-net not found',
      }),
    ];

    const { outcome } = await run();

    expect(outcome).toBeInstanceOf(LaunchFailedError);
    expect((outcome as LaunchFailedError).exitCode).toBe(EXIT_CODES.launchFailed);
    expect((outcome as Error).message).toBe(
      `launch ${standIn.launchId} ended in TASK_FAILED (SOURCE_EXECUTOR, REASON_CONTAINER_LAUNCH_FAILED): network missing-net not found`,
    );
  });

  it.each(['CANCELLED', 'EXPIRED', 'TASK_ERROR', 'TASK_KILLED'])('fails at %s', async (state) => {
    standIn.statuses = [launchStatus(standIn.launchId, ['QUEUED', state])];

    const { outcome } = await run();

    expect(outcome).toBeInstanceOf(LaunchFailedError);
    expect((outcome as Error).message).toContain(`ended in ${state}`);
  });

  it('shows the problem detail of a 4xx', async () => {
    standIn.submitAnswer = {
      status: 401,
      contentType: 'application/problem+json',
      body: {
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        code: 'UNAUTHORIZED',
        detail: 'a bearer token is required',
      },
    };

    const { outcome } = await run();

    expect(outcome).toBeInstanceOf(LaunchFailedError);
    expect((outcome as Error).message).toBe(
      'the service rejected the request to submit the launch: HTTP 401 UNAUTHORIZED: a bearer token is required (pass a valid --token, or set MESOS_LAUNCH_TOKEN)',
    );
  });

  it('reports an unreachable service', async () => {
    await standIn.stop();

    const { outcome } = await run();

    expect(outcome).toBeInstanceOf(UnreachableError);
    expect((outcome as UnreachableError).exitCode).toBe(EXIT_CODES.unreachable);
    expect((outcome as Error).message).toContain(`could not reach the service at ${baseUrl}`);
  });

  it('cancels the launch at the timeout', async () => {
    standIn.statuses = [launchStatus(standIn.launchId, ['QUEUED'])];

    const { outcome, lines } = await run(['-timeout', '1']);

    expect(outcome).toBeInstanceOf(LaunchTimeoutError);
    expect((outcome as Error).message).toBe(
      `timed out after 1 s with launch ${standIn.launchId} in QUEUED; cancelling it`,
    );
    expect(standIn.requests.at(-1)?.method).toBe('DELETE');
    expect(lines.at(-1)?.msg).toBe('launch cancelled');
  });

  it('cancels the launch on interrupt', async () => {
    standIn.statuses = [launchStatus(standIn.launchId, ['QUEUED', 'LAUNCHING'])];
    const interrupt = new AbortController();
    setTimeout(() => interrupt.abort(new InterruptedError('SIGINT')), 50);

    const { outcome } = await run([], interrupt.signal);

    expect(outcome).toBeInstanceOf(InterruptedError);
    expect((outcome as InterruptedError).exitCode).toBe(EXIT_CODES.interrupted);
    expect(standIn.requests.at(-1)?.method).toBe('DELETE');
  });
});
