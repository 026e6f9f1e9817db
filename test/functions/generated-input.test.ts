import { pino } from 'pino';
import { request as undiciRequest } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFunctionServer, type FunctionServer } from '../../functions/node/server.js';
import { loadConfig } from '../../shared/config.js';
import { testRedisOptions, uniquePrefix } from '../support/redis.js';
import { Random, generateRequest, type GeneratedRequest } from './support/random-inputs.js';
import { createTestApp } from './support/test-app.js';

/** Statuses a generated request may get; anything else, and every 5xx, is a failure. */
const EXPECTED_STATUSES = new Set([200, 202, 400, 404, 405, 409, 413, 415, 422]);

function describeFailure(
  input: GeneratedRequest,
  status: number,
  seed: number,
  index: number,
): string {
  const body = input.body ? new TextDecoder().decode(input.body.slice(0, 120)) : '';
  return `seed ${seed} #${index} ${input.kind}: ${input.method} ${input.path.slice(0, 80)} -> ${status} (${body})`;
}

describe('generated inputs', () => {
  it('never get a 5xx from the app', async () => {
    const seed = 20_261_204;
    const random = new Random(seed);
    const { app, errors } = createTestApp();
    const failures: string[] = [];
    const kinds = new Map<string, number>();

    for (let index = 0; index < 3_000; index += 1) {
      const input = generateRequest(random);
      kinds.set(input.kind, (kinds.get(input.kind) ?? 0) + 1);
      const response = await app.request(input.path, {
        method: input.method,
        headers: input.headers,
        ...(input.body ? { body: input.body } : {}),
      });
      await response.arrayBuffer();

      if (!EXPECTED_STATUSES.has(response.status)) {
        failures.push(describeFailure(input, response.status, seed, index));
      }
    }

    expect(failures).toEqual([]);
    expect(errors).toEqual([]);
    expect(kinds.size).toBe(10);
  });

  describe('over HTTP with Redis', () => {
    let server: FunctionServer;

    beforeAll(async () => {
      server = await startFunctionServer(loadConfig({ REDIS_PREFIX: uniquePrefix('generated') }), {
        redis: testRedisOptions(),
        port: 0,
        host: '127.0.0.1',
        logger: pino({ level: 'silent' }),
      });
    });

    afterAll(async () => {
      await server.close();
    });

    it('never get a 5xx from the server', async () => {
      const seed = 424_242;
      const random = new Random(seed);
      const failures: string[] = [];

      for (let index = 0; index < 400; index += 1) {
        const input = generateRequest(random);
        const response = await undiciRequest(`${server.url}${input.path}`, {
          method: input.method as 'GET',
          headers: input.headers,
          ...(input.body ? { body: Buffer.from(input.body) } : {}),
        });
        await response.body.dump();

        if (!EXPECTED_STATUSES.has(response.statusCode)) {
          failures.push(describeFailure(input, response.statusCode, seed, index));
        }
      }

      expect(failures).toEqual([]);
    });
  });
});
