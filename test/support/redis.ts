import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { inject } from 'vitest';

/** Connection options for the private redis-server that the global setup started. */
export function testRedisOptions(extra: RedisOptions = {}): RedisOptions {
  return { path: inject('redisSocketPath'), ...extra };
}

/** Creates a client for the private redis-server. Close it in `afterAll`. */
export function createTestRedis(extra: RedisOptions = {}): Redis {
  return new Redis(testRedisOptions(extra));
}

/** Returns a key prefix no other test uses, so suites share the server without clearing it. */
export function uniquePrefix(name: string): string {
  return `test-${name}-${randomUUID().slice(0, 8)}`;
}
