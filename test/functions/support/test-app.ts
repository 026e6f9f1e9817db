import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  createApp,
  type AppDependencies,
  type RequestObservation,
} from '../../../functions/app.js';
import { MemoryBackend } from './memory-backend.js';

export interface TestApp {
  app: OpenAPIHono;
  backend: MemoryBackend;
  observations: RequestObservation[];
  errors: Array<{ fields: object; message: string }>;
  /** Client address that the app is given; loopback by default. */
  client: { address: string | undefined };
}

/** Creates the app on an in-memory backend, with the client address and logs under the test's control. */
export function createTestApp(overrides: Partial<AppDependencies> = {}): TestApp {
  const backend = new MemoryBackend();
  const observations: RequestObservation[] = [];
  const errors: TestApp['errors'] = [];
  const client: TestApp['client'] = { address: '127.0.0.1' };

  const app = createApp({
    backend,
    apiTokens: [],
    clientAddress: () => client.address,
    observeRequest: (observation) => observations.push(observation),
    logger: {
      error: (fields, message) => errors.push({ fields, message }),
      warn: (fields, message) => errors.push({ fields, message }),
    },
    ...overrides,
  });

  return { app, backend, observations, errors, client };
}

/** Sends POST /v1/launches with a JSON body. */
export function postLaunch(
  app: OpenAPIHono,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return Promise.resolve(
    app.request('/v1/launches', {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    }),
  );
}
