import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface StaticAsset {
  readonly body: Buffer;
  readonly contentType: string;
}

/** The page's files, by URL path. Built by tsup into dist/public (see tsup.config.ts). */
const FILES: Readonly<Record<string, { readonly file: string; readonly contentType: string }>> = {
  '/': { file: 'index.html', contentType: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', contentType: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', contentType: 'text/css; charset=utf-8' },
};

export class StaticAssetsMissingError extends Error {
  constructor(dir: string, cause: unknown) {
    super(`the page's files are missing in ${dir}: build the app first (pnpm --filter @marketdata/chart build)`, {
      cause,
    });
    this.name = 'StaticAssetsMissingError';
  }
}

/** Reads the page's files once, at start (they never change while the server runs). */
export async function loadStaticAssets(dir: string): Promise<ReadonlyMap<string, StaticAsset>> {
  const assets = new Map<string, StaticAsset>();
  try {
    for (const [path, { file, contentType }] of Object.entries(FILES)) {
      assets.set(path, { body: await readFile(join(dir, file)), contentType });
    }
  } catch (error) {
    throw new StaticAssetsMissingError(dir, error);
  }
  return assets;
}
