import type { OpenAPIHono } from '@hono/zod-openapi';
import { swaggerUI } from '@hono/swagger-ui';
import { MesosLaunchError } from '../shared/errors.js';
import { ProblemError } from '../shared/launch/problem.js';
import type { LaunchBackend } from './backend.js';

/** The Swagger UI files that /docs loads. */
export const DOCS_ASSET_FILES = ['swagger-ui.css', 'swagger-ui-bundle.js'] as const;
export type DocsAssetFile = (typeof DOCS_ASSET_FILES)[number];

/** Returns the content of one Swagger UI file, e.g. from the installed swagger-ui-dist package. */
export type DocsAssetReader = (file: DocsAssetFile) => Promise<Uint8Array>;

const DOCS_ASSET_BASE = '/docs/assets';

const DOCS_ASSET_TYPES: Record<DocsAssetFile, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

export interface ServiceRouteOptions {
  backend: LaunchBackend;
  /** Upper bound of the readiness check, so /readyz returns 503 quickly. */
  readyTimeoutMs: number;
  /** Serves Swagger UI's files from this app; without it /docs loads them from a public CDN. */
  docsAssets?: DocsAssetReader;
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

  registerDocsPage(app, options.docsAssets);
}

function registerDocsPage(app: OpenAPIHono, docsAssets: DocsAssetReader | undefined): void {
  if (!docsAssets) {
    app.get('/docs', swaggerUI({ url: '/openapi.json', title: 'mesos-launch API' }));
    return;
  }

  const page = swaggerUI({
    url: '/openapi.json',
    title: 'mesos-launch API',
    baseUrl: DOCS_ASSET_BASE,
  });
  app.get('/docs', page);

  app.get(`${DOCS_ASSET_BASE}/swagger-ui-dist/:file`, async (c) => {
    const file = c.req.param('file');
    if (!isDocsAssetFile(file)) {
      return c.notFound();
    }

    const content = await docsAssets(file);
    return c.body(content as Uint8Array<ArrayBuffer>, 200, {
      'content-type': DOCS_ASSET_TYPES[file],
      'cache-control': 'public, max-age=86400',
    });
  });
}

function isDocsAssetFile(file: string): file is DocsAssetFile {
  return (DOCS_ASSET_FILES as readonly string[]).includes(file);
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
