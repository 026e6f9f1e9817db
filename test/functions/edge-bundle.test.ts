import { createContext, Script } from 'node:vm';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  NONCE_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyForwardedRequest,
} from '../../functions/forward-signature.js';

const SECRET = 'bundle-forward-secret-0123456789';

interface EdgeModule {
  default: { fetch(request: Request, env: object, ctx: object): Promise<Response> };
}

interface CapturedRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string;
}

let metafile: Metafile;
let code = '';

/**
 * Bundles the edge entry the way wrangler does (browser platform, workerd conditions) and runs
 * it in a V8 context that has Web APIs only: no process, Buffer, require or node: modules. This
 * is what running without the nodejs_compat flag allows.
 */
beforeAll(async () => {
  const result = await build({
    entryPoints: ['functions/edge/worker.ts'],
    bundle: true,
    format: 'iife',
    globalName: 'edgeWorker',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  metafile = result.metafile;
  code = result.outputFiles[0]?.text ?? '';
});

function loadWorker(fetchStub: typeof fetch): EdgeModule {
  const context = createContext({
    fetch: fetchStub,
    Request,
    Response,
    Headers,
    URL,
    URLSearchParams,
    ReadableStream,
    TextEncoder,
    TextDecoder,
    AbortSignal,
    AbortController,
    crypto,
    console,
    performance,
    setTimeout,
    clearTimeout,
    atob,
    btoa,
    structuredClone,
  });
  new Script(code).runInContext(context);

  return (context as unknown as { edgeWorker: EdgeModule }).edgeWorker;
}

describe('edge bundle', () => {
  it('contains no Node.js modules', () => {
    const inputs = Object.keys(metafile.inputs);

    expect(inputs.filter((input) => input.startsWith('node:'))).toEqual([]);
    expect(
      inputs.filter((input) =>
        /node_modules\/(ioredis|bullmq|prom-client|@hono\/node-server)\//.test(input),
      ),
    ).toEqual([]);
    for (const output of Object.values(metafile.outputs)) {
      expect(output.imports).toEqual([]);
    }
  });

  it('forwards a signed submit from a Web-only runtime', async () => {
    const captured: CapturedRequest[] = [];
    const fetchStub = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      captured.push({
        url: request.url,
        method: request.method,
        headers: request.headers,
        body: await request.text(),
      });
      return new Response(
        JSON.stringify({
          id: '0b6f6f5e-7d4a-4f0e-9c43-2f1f3a7d9b10',
          state: 'QUEUED',
          created: true,
        }),
        {
          headers: { 'content-type': 'application/json' },
        },
      );
    }) as typeof fetch;
    const edge = loadWorker(fetchStub);
    const env = {
      FORWARD_URL: 'http://node.internal:8080',
      FORWARD_SECRET: SECRET,
      API_TOKENS: 'bundle-token',
      LOG_LEVEL: 'silent',
    };

    const response = await edge.default.fetch(
      new Request('https://edge.example/v1/launches', {
        method: 'POST',
        body: JSON.stringify({ image: 'centos:6.6' }),
        headers: { authorization: 'Bearer bundle-token', 'content-type': 'application/json' },
      }),
      env,
      { waitUntil: () => undefined, passThroughOnException: () => undefined, props: {} },
    );

    expect(response.status).toBe(202);
    expect(captured).toHaveLength(1);
    const forwarded = captured[0];
    expect(forwarded?.url).toBe('http://node.internal:8080/internal/v1/launches');
    const check = await verifyForwardedRequest(
      SECRET,
      {
        timestamp: forwarded?.headers.get(TIMESTAMP_HEADER) ?? undefined,
        nonce: forwarded?.headers.get(NONCE_HEADER) ?? undefined,
        method: 'POST',
        target: '/internal/v1/launches',
        body: forwarded?.body ?? '',
      },
      forwarded?.headers.get(SIGNATURE_HEADER) ?? undefined,
    );
    expect(check).toEqual({ ok: true });
  });

  it('validates without forwarding', async () => {
    const edge = loadWorker((() => Promise.reject(new Error('no network'))) as typeof fetch);
    const env = {
      FORWARD_URL: 'http://node.internal:8080',
      FORWARD_SECRET: SECRET,
      API_TOKENS: 'bundle-token',
      LOG_LEVEL: 'silent',
    };

    const response = await edge.default.fetch(
      new Request('https://edge.example/v1/launches', {
        method: 'POST',
        body: JSON.stringify({ image: 'x', network: 'none', ports: [{}] }),
        headers: { authorization: 'Bearer bundle-token', 'content-type': 'application/json' },
      }),
      env,
      { waitUntil: () => undefined, passThroughOnException: () => undefined, props: {} },
    );

    expect(response.status).toBe(400);
    expect(
      ((await response.json()) as { invalid_fields: Array<{ field: string }> }).invalid_fields[0]
        ?.field,
    ).toBe('ports');
  });
});
