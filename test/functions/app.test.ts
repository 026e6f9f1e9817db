import { describe, expect, it } from 'vitest';
import { ProblemError } from '../../shared/launch/problem.js';
import { isLaunchId, newLaunchId } from '../../shared/launch/ids.js';
import { MesosLaunchError } from '../../shared/errors.js';
import { INVALID_BODIES, VALID_BODIES } from './support/launch-requests.js';
import { createTestApp, postLaunch } from './support/test-app.js';

const REQUEST = {
  image: 'ugistry.ucloud.cn/library/centos:6.6',
  network: 'bridge',
  ports: [{ container_port: 8888 }],
};

async function readProblem(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const problem = (await response.json()) as Record<string, unknown>;

  expect(problem.status).toBe(response.status);
  expect(typeof problem.type).toBe('string');
  expect(typeof problem.title).toBe('string');
  expect(typeof problem.detail).toBe('string');
  expect(typeof problem.code).toBe('string');

  return problem;
}

describe('POST /v1/launches', () => {
  it('queues a valid request with 202', async () => {
    const { app, backend } = createTestApp();

    const response = await postLaunch(app, REQUEST);

    expect(response.status).toBe(202);
    const body = (await response.json()) as { id: string; state: string; status_url: string };
    expect(body.state).toBe('QUEUED');
    expect(body.status_url).toBe(`http://localhost/v1/launches/${body.id}`);
    expect(response.headers.get('location')).toBe(body.status_url);
    expect(backend.submissions[0]?.request.ports).toEqual([
      { container_port: 8888, protocol: 'tcp' },
    ]);
  });

  it('sends a digest of the canonical request', async () => {
    const { app, backend } = createTestApp();

    await postLaunch(app, { image: 'x', cpus: 1, mem: 64 }, { 'idempotency-key': 'k1' });
    await postLaunch(app, '{ "mem": 64,\n "cpus": 1, "image": "x" }', { 'idempotency-key': 'k2' });

    expect(backend.submissions[0]?.requestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(backend.submissions[1]?.requestSha256).toBe(backend.submissions[0]?.requestSha256);
  });

  it('uses the digest it is given', async () => {
    const digests: unknown[] = [];
    const { app, backend } = createTestApp({
      digestRequest: (request) => {
        digests.push(request);
        return 'f'.repeat(64);
      },
    });

    await postLaunch(app, { image: 'x', cpus: 1, mem: 64 }, { 'idempotency-key': 'k1' });

    expect(backend.submissions[0]?.requestSha256).toBe('f'.repeat(64));
    expect(digests).toEqual([backend.submissions[0]?.request]);
  });

  it('skips the digest without a key', async () => {
    const { app, backend } = createTestApp();

    await postLaunch(app, { image: 'x', cpus: 1, mem: 64 });

    expect(backend.submissions[0]?.requestSha256).toBeUndefined();
  });

  it.each(VALID_BODIES)('accepts $name', async ({ body }) => {
    const { app } = createTestApp();

    const response = await postLaunch(app, body);

    expect(response.status).toBe(202);
  });

  it.each(INVALID_BODIES)('rejects with 400: $rule', async ({ body, field }) => {
    const { app, backend } = createTestApp();

    const response = await postLaunch(app, body);

    expect(response.status).toBe(400);
    const problem = await readProblem(response);
    expect(problem.code).toBe('VALIDATION_FAILED');
    const invalid = problem.invalid_fields as Array<{
      field: string;
      message: string;
      fix: string;
    }>;
    expect(invalid.map((entry) => entry.field)).toEqual([field]);
    expect(invalid[0]?.fix.length).toBeGreaterThan(0);
    expect(backend.submissions).toHaveLength(0);
  });

  it('reports every invalid field at once', async () => {
    const { app } = createTestApp();

    const response = await postLaunch(app, { image: 'BAD', cpus: 0, mem: 1, bogus: true });

    const problem = await readProblem(response);
    const fields = (problem.invalid_fields as Array<{ field: string }>).map((entry) => entry.field);
    expect(fields.sort()).toEqual(['bogus', 'cpus', 'image', 'mem']);
    expect(problem.detail).toBe('4 invalid fields: image, cpus, mem, bogus; see invalid_fields');
  });

  it('lists at most 100 invalid fields', async () => {
    const { app } = createTestApp();
    const env = Object.fromEntries(Array.from({ length: 150 }, (_, index) => [`${index}X`, 'v']));

    const problem = await readProblem(await postLaunch(app, { image: 'x', env }));

    expect(problem.invalid_fields).toHaveLength(100);
    expect(problem.detail).toMatch(/^150 invalid fields: /);
  });

  it('rejects malformed JSON with 400', async () => {
    const { app } = createTestApp();

    const problem = await readProblem(await postLaunch(app, '{"image": '));

    expect(problem.code).toBe('INVALID_JSON');
  });

  it('rejects an empty body with 400', async () => {
    const { app } = createTestApp();

    const problem = await readProblem(await postLaunch(app, ''));

    expect(problem.code).toBe('INVALID_JSON');
    expect(problem.detail).toContain('empty');
  });

  it('rejects invalid UTF-8 with 400', async () => {
    const { app } = createTestApp();

    const response = await app.request('/v1/launches', {
      method: 'POST',
      body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      headers: { 'content-type': 'application/json' },
    });

    const problem = await readProblem(response);
    expect(problem.code).toBe('INVALID_JSON');
    expect(problem.detail).toContain('UTF-8');
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp', ''])(
    'rejects content type "%s" with 415',
    async (contentType) => {
      const { app } = createTestApp();

      const response = await app.request('/v1/launches', {
        method: 'POST',
        body: JSON.stringify(REQUEST),
        headers: contentType ? { 'content-type': contentType } : {},
      });

      expect(response.status).toBe(415);
      expect((await readProblem(response)).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    },
  );

  it('rejects a non-UTF-8 charset with 415', async () => {
    const { app } = createTestApp();

    const response = await postLaunch(app, REQUEST, {
      'content-type': 'application/json; charset=latin1',
    });

    expect(response.status).toBe(415);
  });

  it.each(['application/json; charset=utf-8', 'Application/JSON', 'application/merge-patch+json'])(
    'accepts content type "%s"',
    async (contentType) => {
      const { app } = createTestApp();

      const response = await postLaunch(app, REQUEST, { 'content-type': contentType });

      expect(response.status).toBe(202);
    },
  );

  it('rejects a body over the limit with 413', async () => {
    const { app, backend } = createTestApp();

    const response = await postLaunch(app, { image: 'x', command: 'x'.repeat(70_000) });

    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    expect((await readProblem(response)).code).toBe('BODY_TOO_LARGE');
    expect(backend.submissions).toHaveLength(0);
  });

  it('rejects a declared length over the limit', async () => {
    const { app, backend } = createTestApp({ bodyLimitBytes: 1024 });
    const body = JSON.stringify({ image: 'x', command: 'x'.repeat(2_000) });

    const response = await postLaunch(app, body, { 'content-length': String(body.length) });

    expect(response.status).toBe(413);
    expect((await readProblem(response)).code).toBe('BODY_TOO_LARGE');
    expect(backend.submissions).toHaveLength(0);
  });

  it('accepts a declared length within the limit', async () => {
    const { app } = createTestApp({ bodyLimitBytes: 1024 });
    const body = JSON.stringify(REQUEST);

    const response = await postLaunch(app, body, { 'content-length': String(body.length) });

    expect(response.status).toBe(202);
  });

  it('rejects a chunked body over the limit with 413', async () => {
    const { app } = createTestApp({ bodyLimitBytes: 1024 });
    const chunk = new TextEncoder().encode('x'.repeat(600));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.enqueue(chunk);
        controller.close();
      },
    });

    const response = await app.request('/v1/launches', {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      duplex: 'half',
    } as RequestInit);

    expect(response.status).toBe(413);
  });
});

describe('Idempotency-Key', () => {
  it('returns the same launch with 200', async () => {
    const { app } = createTestApp();

    const first = await postLaunch(app, REQUEST, { 'idempotency-key': 'deploy-42' });
    const second = await postLaunch(app, REQUEST, { 'idempotency-key': 'deploy-42' });

    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    const [a, b] = (await Promise.all([first.json(), second.json()])) as Array<{ id: string }>;
    expect(b?.id).toBe(a?.id);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
  });

  it('rejects a changed body with 422', async () => {
    const { app } = createTestApp();

    await postLaunch(app, REQUEST, { 'idempotency-key': 'deploy-43' });
    const response = await postLaunch(
      app,
      { ...REQUEST, cpus: 2 },
      { 'idempotency-key': 'deploy-43' },
    );

    expect(response.status).toBe(422);
    const problem = await readProblem(response);
    expect(problem.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(typeof problem.launch_id).toBe('string');
  });

  it.each(['', 'has space', 'x'.repeat(256), 'tab\there'])(
    'rejects key "%s" with 400',
    async (key) => {
      const { app } = createTestApp();

      const response = await postLaunch(app, REQUEST, { 'idempotency-key': key });

      expect(response.status).toBe(400);
      expect((await readProblem(response)).code).toBe('INVALID_IDEMPOTENCY_KEY');
    },
  );
});

describe('GET /v1/launches/{id}', () => {
  it('returns the status', async () => {
    const { app, backend } = createTestApp();
    const launch = backend.add({
      request: {
        ...REQUEST,
        network: 'bridge',
        ports: [],
        cpus: 0.1,
        mem: 50,
        disk: 0,
        env: {},
        labels: {},
        force_pull_image: false,
      },
    });

    const response = await app.request(`/v1/launches/${launch.id}`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(launch);
  });

  it('answers 404 for an unknown id', async () => {
    const { app } = createTestApp();
    const id = newLaunchId();

    const response = await app.request(`/v1/launches/${id}`);

    expect(response.status).toBe(404);
    const problem = await readProblem(response);
    expect(problem.code).toBe('LAUNCH_NOT_FOUND');
    expect(problem.launch_id).toBe(id);
  });

  it('answers 404 for a malformed id without a lookup', async () => {
    const { app, backend } = createTestApp();
    backend.available = false;

    const response = await app.request('/v1/launches/not-a-launch-id');

    expect(response.status).toBe(404);
  });
});

describe('GET /v1/launches', () => {
  it('lists with defaults', async () => {
    const { app, backend } = createTestApp();

    const response = await app.request('/v1/launches');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ launches: [], next_cursor: null });
    expect(backend.listCalls).toEqual([{ limit: 20 }]);
  });

  it('passes state, limit and cursor', async () => {
    const { app, backend } = createTestApp();

    await app.request(
      '/v1/launches?state=QUEUED,TASK_RUNNING&state=CANCELLED&limit=5&cursor=abc_-1',
    );

    expect(backend.listCalls).toEqual([
      { states: ['QUEUED', 'TASK_RUNNING', 'CANCELLED'], limit: 5, cursor: 'abc_-1' },
    ]);
  });

  it.each([
    ['state=RUNNING', 'state'],
    ['state=', 'state'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=1&limit=2', 'limit'],
    ['cursor=%2F%2F', 'cursor'],
    ['states=QUEUED', 'states'],
  ])('rejects "%s" with 400', async (query, field) => {
    const { app } = createTestApp();

    const response = await app.request(`/v1/launches?${query}`);

    expect(response.status).toBe(400);
    const problem = await readProblem(response);
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(
      (problem.invalid_fields as Array<{ field: string }>).map((entry) => entry.field),
    ).toEqual([field]);
  });
});

describe('DELETE /v1/launches/{id}', () => {
  const request = {
    image: 'x',
    network: 'host' as const,
    ports: [],
    cpus: 0.1,
    mem: 50,
    disk: 0,
    env: {},
    labels: {},
    force_pull_image: false,
  };

  it('cancels a queued launch with 202', async () => {
    const { app, backend } = createTestApp();
    const launch = backend.add({ request });

    const response = await app.request(`/v1/launches/${launch.id}`, { method: 'DELETE' });

    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      id: launch.id,
      outcome: 'cancelled',
      state: 'CANCELLED',
      status_url: `http://localhost/v1/launches/${launch.id}`,
    });
  });

  it('requests a kill of a running launch', async () => {
    const { app, backend } = createTestApp();
    const launch = backend.add({ request, state: 'TASK_RUNNING' });

    const response = await app.request(`/v1/launches/${launch.id}`, { method: 'DELETE' });

    expect(response.status).toBe(202);
    expect(((await response.json()) as { outcome: string }).outcome).toBe('kill_requested');
  });

  it('answers 409 for an ended launch', async () => {
    const { app, backend } = createTestApp();
    const launch = backend.add({ request, state: 'TASK_FINISHED', terminal: true });

    const response = await app.request(`/v1/launches/${launch.id}`, { method: 'DELETE' });

    expect(response.status).toBe(409);
    const problem = await readProblem(response);
    expect(problem.code).toBe('LAUNCH_TERMINAL');
    expect(problem.state).toBe('TASK_FINISHED');
  });

  it('answers 404 for an unknown id', async () => {
    const { app } = createTestApp();

    const response = await app.request(`/v1/launches/${newLaunchId()}`, { method: 'DELETE' });

    expect(response.status).toBe(404);
    expect((await readProblem(response)).code).toBe('LAUNCH_NOT_FOUND');
  });
});

describe('unsupported routes', () => {
  it('answers 405 with Allow', async () => {
    const { app } = createTestApp();

    const response = await app.request('/v1/launches', { method: 'PUT' });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
    expect((await readProblem(response)).code).toBe('METHOD_NOT_ALLOWED');
  });

  it('answers 404 for an unknown path', async () => {
    const { app } = createTestApp();

    const response = await app.request('/v2/anything');

    expect(response.status).toBe(404);
    expect((await readProblem(response)).code).toBe('NOT_FOUND');
  });
});

describe('authentication', () => {
  it('requires a bearer token when tokens are set', async () => {
    const { app } = createTestApp({ apiTokens: ['secret-a', 'secret-b'] });

    const response = await postLaunch(app, REQUEST);

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('Bearer');
    expect((await readProblem(response)).code).toBe('UNAUTHORIZED');
  });

  it('rejects a wrong token with 401', async () => {
    const { app } = createTestApp({ apiTokens: ['secret-a'] });

    const response = await app.request('/v1/launches', {
      headers: { authorization: 'Bearer secret-b' },
    });

    expect(response.status).toBe(401);
  });

  it('rejects another scheme with 401', async () => {
    const { app } = createTestApp({ apiTokens: ['secret-a'] });

    const response = await app.request('/v1/launches', {
      headers: { authorization: 'Basic secret-a' },
    });

    expect(response.status).toBe(401);
  });

  it('accepts any configured token from any address', async () => {
    const { app, client } = createTestApp({ apiTokens: ['secret-a', 'secret-b'] });
    client.address = '203.0.113.9';

    const response = await app.request('/v1/launches', {
      headers: { authorization: 'bearer secret-b' },
    });

    expect(response.status).toBe(200);
  });

  it('protects metrics with the token', async () => {
    const { app } = createTestApp({ apiTokens: ['secret-a'] });

    expect((await app.request('/metrics')).status).toBe(401);
    expect(
      (await app.request('/metrics', { headers: { authorization: 'Bearer secret-a' } })).status,
    ).toBe(200);
  });

  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])(
    'serves loopback %s without tokens',
    async (address) => {
      const { app, client } = createTestApp();
      client.address = address;

      expect((await app.request('/v1/launches')).status).toBe(200);
    },
  );

  it.each(['10.0.0.1', '::ffff:10.0.0.1', '2001:db8::1', '128.0.0.1', undefined])(
    'rejects %s without tokens with 403',
    async (address) => {
      const { app, client } = createTestApp();
      client.address = address;

      const response = await postLaunch(app, REQUEST);

      expect(response.status).toBe(403);
      const problem = await readProblem(response);
      expect(problem.code).toBe('LOOPBACK_ONLY');
      expect(problem.detail).toContain('set API_TOKENS');
    },
  );

  it('leaves health and docs open', async () => {
    const { app, client } = createTestApp({ apiTokens: ['secret-a'] });
    client.address = '10.0.0.1';

    for (const path of ['/healthz', '/readyz', '/openapi.json', '/docs']) {
      expect((await app.request(path)).status).toBe(200);
    }
  });
});

describe('Redis unavailable', () => {
  it('answers 503 with Retry-After', async () => {
    const { app, backend, errors } = createTestApp();
    backend.available = false;

    for (const [path, init] of [
      [
        '/v1/launches',
        {
          method: 'POST',
          body: JSON.stringify(REQUEST),
          headers: { 'content-type': 'application/json' },
        },
      ],
      [`/v1/launches/${newLaunchId()}`, {}],
      ['/v1/launches', {}],
      [`/v1/launches/${newLaunchId()}`, { method: 'DELETE' }],
    ] as Array<[string, RequestInit]>) {
      const response = await app.request(path, init);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect((await readProblem(response)).code).toBe('STORE_UNAVAILABLE');
    }
    expect(errors).toHaveLength(4);
  });

  it('fails readiness with 503', async () => {
    const { app, backend } = createTestApp();
    backend.available = false;

    const response = await app.request('/readyz');

    expect(response.status).toBe(503);
    expect((await readProblem(response)).code).toBe('NOT_READY');
  });

  it('fails a hanging readiness check with 503', async () => {
    const { app, backend } = createTestApp({ readyTimeoutMs: 50 });
    backend.checkReady = () => new Promise(() => undefined);

    const response = await app.request('/readyz');

    expect(response.status).toBe(503);
  });
});

describe('internal errors', () => {
  it('hides the message of an unexpected error', async () => {
    const { app, backend, errors } = createTestApp();
    backend.failWith = new Error('secret internal detail');

    const response = await app.request('/v1/launches');

    expect(response.status).toBe(500);
    const problem = await readProblem(response);
    expect(problem.code).toBe('INTERNAL_ERROR');
    expect(JSON.stringify(problem)).not.toContain('secret internal detail');
    expect(errors[0]?.message).toBe('request failed');
  });

  it('keeps the status of a ProblemError', async () => {
    const { app, backend } = createTestApp();
    backend.failWith = new ProblemError('FORWARD_TIMEOUT', 'slow');

    expect((await app.request('/v1/launches')).status).toBe(504);
  });

  it('maps a coded MesosLaunchError', async () => {
    const { app, backend } = createTestApp();
    backend.failWith = new MesosLaunchError('LAUNCH_CREATION_PENDING', 'still queueing');

    const response = await app.request('/v1/launches');

    expect(response.status).toBe(503);
    expect((await readProblem(response)).detail).toBe('still queueing');
  });
});

describe('service endpoints', () => {
  it('answers /healthz', async () => {
    const { app } = createTestApp();

    const response = await app.request('/healthz');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz', async () => {
    const { app } = createTestApp();

    expect(await (await app.request('/readyz')).json()).toEqual({ status: 'ready' });
  });

  it('serves /metrics as Prometheus text', async () => {
    const { app } = createTestApp();

    const response = await app.request('/metrics');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(await response.text()).toContain('mesos_launch_redis_up');
  });

  it('records each request with its route pattern', async () => {
    const { app, observations } = createTestApp();

    await app.request(`/v1/launches/${newLaunchId()}`);
    await app.request('/nowhere');

    expect(observations.map(({ method, route, status }) => ({ method, route, status }))).toEqual([
      { method: 'GET', route: '/v1/launches/:id', status: 404 },
      { method: 'GET', route: 'unmatched', status: 404 },
    ]);
  });

  it('generates the OpenAPI document', async () => {
    const { app } = createTestApp();

    const response = await app.request('/openapi.json');

    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: {
        schemas: Record<
          string,
          { properties?: Record<string, unknown>; additionalProperties?: boolean }
        >;
      };
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual(
      ['/healthz', '/metrics', '/readyz', '/v1/launches', '/v1/launches/{id}'].sort(),
    );
    expect(Object.keys(document.paths['/v1/launches'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(document.paths['/v1/launches/{id}'] ?? {}).sort()).toEqual([
      'delete',
      'get',
    ]);
    const launchRequest = document.components.schemas.LaunchRequest;
    expect(Object.keys(launchRequest?.properties ?? {})).toContain('network_name');
    expect(launchRequest?.additionalProperties).toBe(false);
    expect(document.components.schemas.Problem).toBeDefined();
  });

  it('serves the docs page', async () => {
    const { app } = createTestApp();

    const response = await app.request('/docs');

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('/openapi.json');
  });
});

describe('launch id shape', () => {
  it('matches isLaunchId', async () => {
    const { app, backend } = createTestApp();
    backend.available = false;

    for (let index = 0; index < 20; index += 1) {
      const id = newLaunchId();
      expect(isLaunchId(id)).toBe(true);
      // A well-formed id reaches the backend, which is down: 503 rather than 404.
      expect((await app.request(`/v1/launches/${id}`)).status).toBe(503);
    }
  });
});
