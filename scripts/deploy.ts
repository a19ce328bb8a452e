/**
 * `npm run deploy`: applies D1 migrations to the remote database, then deploys the workers
 * in dependency order (identity ← router ← webhooks), so no worker goes live bound to a
 * service that does not exist yet. `npm run deploy -- --dry-run` builds every bundle
 * without uploading and prints its size.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { ROOT } from "./local.ts";

/** Deploy order: a worker comes after every worker it binds to. */
export const DEPLOY_ORDER = [
  { key: "identity", config: "workers/identity/wrangler.toml" },
  { key: "router", config: "wrangler.toml" },
  { key: "webhooks", config: "workers/webhooks/wrangler.toml" },
] as const;

function wrangler(args: string[]): void {
  const result = spawnSync("npx", ["wrangler", ...args], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  if (result.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed (${result.status})`);
}

export interface BundleSize {
  worker: string;
  bytes: number;
  gzipBytes: number;
}

/** Builds each worker with `wrangler deploy --dry-run --outdir`; returns the bundle sizes. */
export function dryRun(outRoot = path.join(ROOT, ".wrangler/dist")): BundleSize[] {
  return DEPLOY_ORDER.map(({ key, config }) => {
    const outdir = path.join(outRoot, key);
    wrangler(["deploy", "--dry-run", "--outdir", outdir, "-c", config]);
    const js = readdirSync(outdir).filter((f) => f.endsWith(".js") && statSync(path.join(outdir, f)).isFile());
    const contents = Buffer.concat(js.map((f) => readFileSync(path.join(outdir, f))));
    return { worker: key, bytes: contents.length, gzipBytes: gzipSync(contents).length };
  });
}

export function printSizes(sizes: BundleSize[]): void {
  for (const s of sizes) {
    console.log(
      `${s.worker.padEnd(10)} ${(s.bytes / 1024).toFixed(1).padStart(8)} KiB  gzip ${(s.gzipBytes / 1024).toFixed(1).padStart(7)} KiB`,
    );
  }
}

if (import.meta.main) {
  if (process.argv.includes("--dry-run")) {
    printSizes(dryRun());
  } else {
    wrangler(["d1", "migrations", "apply", "DB", "--remote", "-c", "wrangler.toml"]);
    for (const { config } of DEPLOY_ORDER) wrangler(["deploy", "-c", config]);
    printSizes(dryRun());
  }
}
