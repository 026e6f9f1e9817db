import { afterAll, describe, expect, it } from 'vitest';
import { createTestRedis } from './redis.js';

describe('test redis server', () => {
  const redis = createTestRedis();

  afterAll(async () => {
    await redis.quit();
  });

  it('answers on the private socket', async () => {
    expect(await redis.ping()).toBe('PONG');
  });
});
