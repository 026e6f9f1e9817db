/**
 * Measures POST /v1/launches on the Node entry against a bare Hono handler on the same
 * @hono/node-server, in the same run. The launch function runs with its real dependencies: a
 * private redis-server (unix socket), the Lua record script and a BullMQ job per request, with
 * request logging at `warn` so the figure is not a measure of stdout. The bare handler parses
 * the JSON body and returns 202.
 * Both get the same load: undici with a fixed number of connections, a warm-up, then a fixed
 * number of requests. Prints figures only. Run with `npx tsx bench/function-submit.ts`;
 * BENCH_REQUESTS and BENCH_CONNECTIONS change the load, and BENCH_IDEMPOTENCY_KEYS=1 sends a new
 * Idempotency-Key with every request, so the function also hashes each request.
 */
import { once } from 'node:events';
import { cpus } from 'node:os';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { pino } from 'pino';
import { Pool } from 'undici';
import { startFunctionServer } from '../functions/node/server.js';
import { loadConfig } from '../shared/config.js';
import { startEmbeddedRedis } from '../shared/embedded-redis.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WARMUP_REQUESTS = Math.min(2_000, REQUESTS);
const SEND_IDEMPOTENCY_KEYS = process.env.BENCH_IDEMPOTENCY_KEYS === '1';

const BODY = JSON.stringify({
  image: 'ugistry.ucloud.cn/library/centos:6.6',
  network: 'bridge',
  ports: [{ container_port: 8888 }],
  command: 'python -m SimpleHTTPServer 8888',
});

interface RunResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  unexpected: number;
}

/** Sends `count` POSTs over CONNECTIONS connections, CONNECTIONS at a time. */
async function runLoad(baseUrl: string, count: number): Promise<RunResult> {
  const pool = new Pool(baseUrl, { connections: CONNECTIONS, pipelining: 1 });
  const latencies: number[] = [];
  let next = 0;
  let unexpected = 0;

  const sendLoop = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      const started = performance.now();
      const response = await pool.request({
        path: '/v1/launches',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(SEND_IDEMPOTENCY_KEYS ? { 'idempotency-key': crypto.randomUUID() } : {}),
        },
        body: BODY,
      });
      await response.body.dump();
      latencies.push(performance.now() - started);
      if (response.statusCode !== 202) {
        unexpected += 1;
      }
    }
  };

  const started = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, sendLoop));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();

  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: count / seconds,
    p50Ms: latencies[Math.floor(latencies.length * 0.5)] ?? 0,
    p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0,
    unexpected,
  };
}

async function startBareHono(): Promise<{ url: string; close(): void }> {
  const app = new Hono();
  app.post('/v1/launches', async (c) => {
    await c.req.json();
    return c.json({ id: crypto.randomUUID(), state: 'QUEUED' }, 202);
  });

  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await once(server, 'listening');

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => server.close(),
  };
}

function formatResult(name: string, result: RunResult): string {
  return [
    name.padEnd(28),
    `${result.requestsPerSecond.toFixed(0).padStart(8)} req/s`,
    `p50 ${result.p50Ms.toFixed(2)} ms`,
    `p99 ${result.p99Ms.toFixed(2)} ms`,
    `non-202: ${result.unexpected}`,
  ].join('   ');
}

async function main(): Promise<void> {
  const redis = await startEmbeddedRedis();
  const launchFunction = await startFunctionServer(loadConfig({ REDIS_PREFIX: 'bench' }), {
    redis: { path: redis.socketPath },
    port: 0,
    host: '127.0.0.1',
    logger: pino({ level: 'warn' }),
  });
  const bare = await startBareHono();

  try {
    console.log(`node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}`);
    console.log(
      `${REQUESTS} requests after ${WARMUP_REQUESTS} warm-up, ${CONNECTIONS} connections, ` +
        `Idempotency-Key ${SEND_IDEMPOTENCY_KEYS ? 'on every request' : 'on none'}\n`,
    );

    await runLoad(bare.url, WARMUP_REQUESTS);
    const bareResult = await runLoad(bare.url, REQUESTS);
    await runLoad(launchFunction.url, WARMUP_REQUESTS);
    const functionResult = await runLoad(launchFunction.url, REQUESTS);

    console.log(formatResult('bare Hono handler', bareResult));
    console.log(formatResult('POST /v1/launches (Redis)', functionResult));
    const ratio = functionResult.requestsPerSecond / bareResult.requestsPerSecond;
    console.log(`\nratio launch function / bare handler: ${ratio.toFixed(3)}`);
  } finally {
    bare.close();
    await launchFunction.close();
    await redis.stop();
  }
}

await main();
