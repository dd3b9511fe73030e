/**
 * `npm run bench`: the benchmarks that need no network. Each prints ratios against a peer measured in the same
 * run. Resolution accuracy against SCIP is `npm run bench:resolution` (it needs the checkouts of bench/README.md).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const benches = [['throughput.mjs', process.argv.slice(2)]];
let failed = false;
for (const [script, args] of benches) {
  console.log(`\n=== ${script}`);
  const result = spawnSync(process.execPath, [join(import.meta.dirname, script), ...args], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
