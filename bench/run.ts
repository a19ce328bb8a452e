/**
 * `npm run bench`: runs every `bench/*.bench.ts` in turn (each a Node script that starts what
 * it measures, prints its numbers as ratios against a baseline measured in the same run, and
 * stops). Benchmarks are never timed tests: they report, they do not pass or fail on speed.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const dir = import.meta.dirname;
// `npm run bench -- router --disk`: the first word picks benchmarks, the rest go to each of them.
const only = process.argv[2]?.startsWith("-") ? undefined : process.argv[2];
const rest = process.argv.slice(only ? 3 : 2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts") && (!only || f.includes(only)))
  .sort();
if (files.length === 0) {
  console.log("no benchmarks found");
  process.exit(0);
}
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  // Through sh, to raise the open-file limit to the hard one: `ulimit -n` is per process, and
  // the overlay bench holds 10,000 sockets in workerd (and its share in each client process).
  const raise = 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"';
  const result = spawnSync("sh", ["-c", raise, "sh", process.execPath, path.join(dir, file), ...rest], {
    stdio: "inherit",
  });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
