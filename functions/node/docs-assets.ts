import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DocsAssetFile, DocsAssetReader } from '../service-routes.js';

/**
 * Creates a reader for the Swagger UI files of the installed `swagger-ui-dist` package, so the
 * /docs page works on hosts without internet access. Each file is read once and kept in memory.
 */
export function createDocsAssetReader(): DocsAssetReader {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('swagger-ui-dist/package.json'));
  const cache = new Map<DocsAssetFile, Promise<Uint8Array>>();

  return (file) => {
    let content = cache.get(file);
    if (!content) {
      content = readFile(join(packageDir, file));
      cache.set(file, content);
    }
    return content;
  };
}
