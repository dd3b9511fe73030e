/**
 * `npm run bench`: the benchmarks that need no network. Each prints ratios against a peer measured in the same
 * run. Resolution accuracy against SCIP is `npm run bench:resolution` (it needs the checkouts of bench/README.md).
 *
 * `node bench/run.mjs [ARGS]` runs them all with ARGS (a corpus folder); `node bench/run.mjs throughput [ARGS]`
 * or `node bench/run.mjs store [ARGS]` runs one (`npm run bench -- store --quick`).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const all = { throughput: 'throughput.mjs', store: 'store.mjs' };
const [first, ...rest] = process.argv.slice(2);
const benches =
  first !== undefined && Object.hasOwn(all, first)
    ? [[all[first], rest]]
    : Object.values(all).map((script) => [script, process.argv.slice(2)]);
let failed = false;
for (const [script, args] of benches) {
  console.log(`\n=== ${script}`);
  const result = spawnSync(process.execPath, [join(import.meta.dirname, script), ...args], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
