/**
 * @module interfaces/http/routes/web
 * The web page: `/` serves `web/index.html`, `/assets/<name>` the page's other files (one folder level,
 * plain names only), and `/assets/vendor/cytoscape.min.js` the graph library from its package. The folder
 * is found from this module, in `src/` and in `dist/` alike (the page's files stay in `src/`).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES, EngineError } from '../../../base/index.js';
import type { RouteSpec } from '../route-table.js';

/** The page's folder: `src/interfaces/http/web/` from `src/interfaces/http/routes/` or `dist/…/routes/`. */
export const WEB_FOLDER = fileURLToPath(new URL('../../../../src/interfaces/http/web/', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** A plain file name: no separators, no leading dot. */
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

async function serveFile(path: string, what: string): Promise<Response> {
  const type = CONTENT_TYPES[extname(path).toLowerCase()];
  if (!type) throw new EngineError(ERROR_CODES.NOT_FOUND, `No asset ${what}`);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new EngineError(ERROR_CODES.NOT_FOUND, `No asset ${what}`, { cause: error });
  }
  return new Response(new Uint8Array(bytes), {
    headers: { 'content-type': type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' },
  });
}

function cytoscapePath(): string {
  return createRequire(import.meta.url).resolve('cytoscape/dist/cytoscape.min.js');
}

export function webRoutes(): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: '/',
      tag: 'web',
      summary: 'The web page',
      returns: 'text/html',
      produces: 'text/html',
      handle: () => serveFile(join(WEB_FOLDER, 'index.html'), 'index.html'),
    },
    {
      method: 'GET',
      path: '/assets/vendor/cytoscape.min.js',
      tag: 'web',
      summary: 'The graph library of the web page (cytoscape)',
      returns: 'text/javascript',
      produces: 'text/javascript',
      handle: () => serveFile(cytoscapePath(), 'vendor/cytoscape.min.js'),
    },
    {
      method: 'GET',
      path: '/assets/:name',
      openapiPath: '/assets/{name}',
      tag: 'web',
      summary: 'A file of the web page (app.js, style.css)',
      returns: 'the file',
      produces: '*/*',
      handle: ({ c }) => {
        const name = c.req.param('name') ?? '';
        if (!ASSET_NAME.test(name) || name === 'index.html')
          throw new EngineError(ERROR_CODES.NOT_FOUND, `No asset ${name}`);
        return serveFile(join(WEB_FOLDER, name), name);
      },
    },
  ];
}
