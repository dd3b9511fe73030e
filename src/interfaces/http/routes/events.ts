/**
 * @module interfaces/http/routes/events
 * `/v1/events`: Server-Sent Events of the graph's updates. `hello` at connect (each folder's version),
 * `delta` after every update of any folder (root, version, previous, files changed), and a comment every
 * 15 s so that proxies keep the connection. A stream ends when its client goes or the server closes.
 */
import type { RouteSpec } from '../route-table.js';

/** Milliseconds between keep-alive comments. */
const PING_MS = 15_000;

export function eventRoutes(): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: '/v1/events',
      tag: 'events',
      summary: 'Server-Sent Events: hello {versions} at connect, then delta {root, version, previous, files}',
      returns: 'text/event-stream',
      produces: 'text/event-stream',
      handle: ({ state, signal }) => {
        const encoder = new TextEncoder();
        let end = (): void => undefined;
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            let done = false;
            const send = (text: string): void => {
              if (done) return;
              try {
                controller.enqueue(encoder.encode(text));
              } catch {
                end();
              }
            };
            const versions = Object.fromEntries(state.set.list().map((f) => [f.root, f.version]));
            send(`event: hello\ndata: ${JSON.stringify({ versions })}\n\n`);
            const unsubscribe = state.set.onDelta((root, delta) => {
              const data = {
                root,
                version: delta.version,
                previous: delta.previous,
                files: delta.files.map((file) => ({ path: file.path, kind: file.kind })),
              };
              send(`event: delta\ndata: ${JSON.stringify(data)}\n\n`);
            });
            const ping = setInterval(() => {
              send(': ping\n\n');
            }, PING_MS);
            ping.unref();
            end = () => {
              if (done) return;
              done = true;
              unsubscribe();
              clearInterval(ping);
              state.streams.delete(end);
              signal.removeEventListener('abort', end);
              try {
                controller.close();
              } catch {
                // Already closed or cancelled.
              }
            };
            state.streams.add(end);
            signal.addEventListener('abort', end);
          },
          cancel() {
            end();
          },
        });
        return new Response(stream, {
          headers: {
            'content-type': 'text/event-stream; charset=utf-8',
            'cache-control': 'no-cache, no-transform',
            'x-accel-buffering': 'no',
          },
        });
      },
    },
  ];
}
