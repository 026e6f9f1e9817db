import { serve, type ServerType } from '@hono/node-server';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runApiMode } from '../../cli/api-mode.js';
import { LaunchFailedError } from '../../cli/errors.js';
import { toCliOptions } from '../../cli/options.js';
import { parseArguments } from '../../cli/parse-arguments.js';
import { buildRequestBody } from '../../cli/request.js';
import { createApp } from '../../functions/app.js';
import { captureOutput, silentLogger } from './support/capture.js';
import { ScriptedBackend } from './support/scripted-backend.js';

const TOKEN = 'cli-test-token';

let backend: ScriptedBackend;
let server: ServerType;
let baseUrl: string;

beforeEach(async () => {
  backend = new ScriptedBackend();
  const app = createApp({ backend, apiTokens: [TOKEN], clientAddress: () => undefined });
  server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function run(argv: string[]) {
  const parsed = parseArguments(['--api', baseUrl, ...argv]);
  if (parsed.help) {
    throw new Error('unexpected help request');
  }
  const options = toCliOptions(parsed.flags, {});
  if (options.target.kind !== 'api') {
    throw new Error('expected API mode');
  }

  const { output, lines } = captureOutput();
  const context = {
    output,
    diagnostics: silentLogger,
    signal: new AbortController().signal,
    pollMs: { initial: 5, max: 20 },
  };
  const body = buildRequestBody(options.launch);
  const outcome = await runApiMode(options.launch, options.target, body, context).then(
    () => undefined,
    (error: unknown) => error,
  );

  return { outcome, lines };
}

const BRIDGE_FLAGS = ['-image', 'centos:6.6', '-network=bridge', '-expose', '8888'];

describe('runApiMode against the HTTP app', () => {
  it('launches through the real routes', async () => {
    backend.states = ['QUEUED', 'LAUNCHING', 'TASK_STARTING', 'TASK_RUNNING'];

    const { outcome, lines } = await run([...BRIDGE_FLAGS, '--token', TOKEN]);

    expect(outcome).toBeUndefined();
    expect(backend.submitted[0]?.request.ports).toEqual([
      { container_port: 8888, protocol: 'tcp' },
    ]);
    expect(lines.map((line) => line.state ?? line.status)).toEqual([
      undefined,
      'QUEUED',
      'LAUNCHING',
      'TASK_STARTING',
      'TASK_RUNNING',
    ]);
    expect(lines.at(-1)?.containerStatus).toEqual({
      network_infos: [{ ip_addresses: [{ ip_address: '172.17.0.2' }] }],
    });
  });

  it('shows the detail of a 401', async () => {
    const { outcome } = await run(BRIDGE_FLAGS);

    expect(outcome).toBeInstanceOf(LaunchFailedError);
    expect((outcome as Error).message).toMatch(
      /^the service rejected the request to submit the launch: HTTP 401 UNAUTHORIZED: the Authorization header is missing/,
    );
  });

  it('fails at TASK_FAILED', async () => {
    backend.states = ['QUEUED', 'LAUNCHING', 'TASK_STARTING', 'TASK_FAILED'];

    const { outcome } = await run([...BRIDGE_FLAGS, '--token', TOKEN]);

    expect(outcome).toBeInstanceOf(LaunchFailedError);
    expect((outcome as Error).message).toContain('ended in TASK_FAILED (SOURCE_EXECUTOR)');
  });

  it('cancels through DELETE at the timeout', async () => {
    backend.states = ['QUEUED'];

    await run([...BRIDGE_FLAGS, '--token', TOKEN, '-timeout', '1']);

    expect(backend.killed).toHaveLength(1);
  });
});
