import type { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import { MesosLaunchError } from '../shared/errors.js';
import { ProblemError } from '../shared/launch/problem.js';
import type { LaunchBackend } from './backend.js';

export interface ServiceRouteOptions {
  backend: LaunchBackend;
  /** Upper bound of the readiness check, so /readyz returns 503 quickly. */
  readyTimeoutMs: number;
}

/** Adds /healthz, /readyz, /metrics, /openapi.json and /docs to the app. */
export function registerServiceRoutes(app: OpenAPIHono, options: ServiceRouteOptions): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }, 200));

  app.get('/readyz', async (c) => {
    await checkReady(options.backend, options.readyTimeoutMs);
    return c.json({ status: 'ready' }, 200);
  });

  app.get('/metrics', async (c) => {
    const metrics = await options.backend.renderMetrics();
    return c.body(metrics.body, 200, { 'content-type': metrics.contentType });
  });

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'mesos-launch',
      version: '1',
      description:
        'Launch Docker containers on Apache Mesos in the network mode you choose, and poll their status.',
    },
  });

  app.get('/docs', swaggerUI({ url: '/openapi.json', title: 'mesos-launch API' }));
}

async function checkReady(backend: LaunchBackend, timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no response within ${timeoutMs} ms`)), timeoutMs);
  });

  try {
    await Promise.race([backend.checkReady(), timeout]);
  } catch (error) {
    const reason =
      error instanceof MesosLaunchError || error instanceof Error ? error.message : String(error);
    throw new ProblemError('NOT_READY', `the launch store is not reachable: ${reason}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}
