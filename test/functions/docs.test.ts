import { describe, expect, it } from 'vitest';
import { createDocsAssetReader } from '../../functions/node/docs-assets.js';
import { createTestApp } from './support/test-app.js';

const BUNDLE_PATH = '/docs/assets/swagger-ui-dist/swagger-ui-bundle.js';
const STYLESHEET_PATH = '/docs/assets/swagger-ui-dist/swagger-ui.css';

describe('docs page', () => {
  it('loads Swagger UI from the app itself', async () => {
    const { app } = createTestApp({ docsAssets: createDocsAssetReader() });

    const page = await (await app.request('/docs')).text();

    expect(page).toContain(BUNDLE_PATH);
    expect(page).toContain(STYLESHEET_PATH);
    expect(page).not.toContain('cdn.jsdelivr.net');
  });

  it('serves the Swagger UI bundle', async () => {
    const { app } = createTestApp({ docsAssets: createDocsAssetReader() });

    const response = await app.request(BUNDLE_PATH);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await response.text()).length).toBeGreaterThan(100_000);
  });

  it('serves the Swagger UI stylesheet', async () => {
    const { app } = createTestApp({ docsAssets: createDocsAssetReader() });

    const response = await app.request(STYLESHEET_PATH);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('serves no other file of the package', async () => {
    const { app } = createTestApp({ docsAssets: createDocsAssetReader() });

    const packageJson = await app.request('/docs/assets/swagger-ui-dist/package.json');
    const traversal = await app.request('/docs/assets/swagger-ui-dist/..%2F..%2Fpackage.json');

    expect(packageJson.status).toBe(404);
    expect(traversal.status).toBe(404);
  });

  it('falls back to the CDN without a reader', async () => {
    const { app } = createTestApp();

    const page = await (await app.request('/docs')).text();

    expect(page).toContain('cdn.jsdelivr.net');
    expect((await app.request(BUNDLE_PATH)).status).toBe(404);
  });
});
