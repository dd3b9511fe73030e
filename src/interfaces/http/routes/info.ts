/**
 * @module interfaces/http/routes/info
 * What the server is and how it does: `/info` (build, languages, index schema, folders), `/healthz` (the one
 * route open without a token) and `/metrics` (Prometheus text).
 */
import { LANGUAGES, SCHEMA_VERSION } from '../../../engine/index.js';
import { buildInfo } from '../build-info.js';
import type { RouteSpec } from '../route-table.js';

export function infoRoutes(): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: '/info',
      tag: 'server',
      summary: 'Build info: name, version, commit, Node, languages, index schema, workspace folders',
      returns: '{name, version, commit, node, languages, schema, workspaces}',
      handle: ({ state }) => {
        const build = buildInfo();
        return {
          name: build.name,
          version: build.version,
          commit: build.commit,
          node: process.version,
          languages: LANGUAGES.map((language) => language.id),
          schema: SCHEMA_VERSION,
          workspaces: state.set.list(),
        };
      },
    },
    {
      method: 'GET',
      path: '/healthz',
      tag: 'server',
      summary: 'Liveness: ok and the version of the default folder (open without a token)',
      returns: '{status: "ok", version}',
      handle: ({ state }) => ({ status: 'ok', version: state.set.list()[0]?.version ?? null }),
    },
    {
      method: 'GET',
      path: '/metrics',
      tag: 'server',
      summary: 'Prometheus metrics (text format 0.0.4)',
      returns: 'Prometheus text',
      produces: 'text/plain',
      handle: ({ state }) =>
        new Response(state.metrics.render(state.set), {
          headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
        }),
    },
  ];
}
