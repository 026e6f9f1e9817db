import { inject } from 'vitest';
import { loadConfig } from '../../shared/config.js';
import { createLogger } from '../../shared/logger.js';
import { startEmulator, type Emulator } from '../../emulator/index.js';
import { startFunctionServer, type FunctionServer } from '../../functions/node/server.js';
import { startWorker, type WorkerHandle } from '../../worker/index.js';
import type { LaunchStatus } from '../../shared/launch/types.js';
import { uniquePrefix } from '../support/redis.js';

/** The whole product in one test process: emulator, function and worker on the test Redis. */
export interface Product {
  emulator: Emulator;
  functionServer: FunctionServer;
  worker: WorkerHandle;
  stop(): Promise<void>;
}

const silent = (component: string) => createLogger(component, { level: 'silent' });

export async function startProduct(contentType: 'protobuf' | 'json'): Promise<Product> {
  const emulator = await startEmulator({
    agents: 3,
    allocationIntervalMs: 100,
    logger: silent('emulator'),
  });

  const config = loadConfig({
    MESOS_MASTER: emulator.url,
    MESOS_CONTENT_TYPE: contentType,
    REDIS_URL: `unix://${inject('redisSocketPath')}`,
    REDIS_PREFIX: uniquePrefix('e2e'),
    LOG_LEVEL: 'silent',
  });

  const functionServer = await startFunctionServer(config, { port: 0, logger: silent('function') });
  const worker = await startWorker(config, { healthPort: 0, logger: silent('worker') });

  return {
    emulator,
    functionServer,
    worker,
    stop: async () => {
      await worker.stop();
      await functionServer.close();
      await emulator.stop();
    },
  };
}

/** POSTs a launch request and returns the new launch id. */
export async function submitLaunch(baseUrl: string, body: unknown): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/launches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

  if (response.status !== 202) {
    throw new Error(`POST /v1/launches returned ${response.status}: ${await response.text()}`);
  }

  const created = (await response.json()) as { id: string };
  return created.id;
}

/** Polls a launch until `done` accepts its status; throws with the last status on timeout. */
export async function pollLaunch(
  baseUrl: string,
  id: string,
  done: (status: LaunchStatus) => boolean,
  timeoutMs = 15_000,
): Promise<LaunchStatus> {
  const deadline = Date.now() + timeoutMs;
  let status: LaunchStatus | undefined;

  while (Date.now() < deadline) {
    const response = await fetch(`${baseUrl}/v1/launches/${id}`);
    status = (await response.json()) as LaunchStatus;
    if (done(status)) {
      return status;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  throw new Error(`launch ${id} did not reach the expected state: ${JSON.stringify(status)}`);
}
