import type { TestProject } from 'vitest/node';
import { startEmbeddedRedis, type EmbeddedRedis } from '../../shared/embedded-redis.js';

let redis: EmbeddedRedis | undefined;

/** Starts one private redis-server for the whole run; each test file uses its own key prefix. */
export async function setup(project: TestProject): Promise<void> {
  redis = await startEmbeddedRedis();
  project.provide('redisSocketPath', redis.socketPath);
}

export async function teardown(): Promise<void> {
  await redis?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisSocketPath: string;
  }
}
