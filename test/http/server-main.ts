/**
 * @module test/http/server-main
 * A tiny `rtc serve` for tests that need a process of its own: `node --import tsx server-main.ts <repo>
 * <host> [token]`. Prints one JSON line `{url, port}` when listening; on a start failure prints the message
 * on stderr and exits 1; SIGTERM closes the server and exits 0.
 */
import { startHttpServer } from '../../src/interfaces/http/index.js';

const [repo, host, token] = process.argv.slice(2);
try {
  const server = await startHttpServer({
    repos: [repo!],
    host: host ?? '127.0.0.1',
    port: 0,
    watch: false,
    env: {},
    ...(token ? { token } : {}),
  });
  process.stdout.write(`${JSON.stringify({ url: server.url, port: server.port })}\n`);
  process.once('SIGTERM', () => {
    void server.close().then(() => process.exit(0));
  });
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(1);
}
