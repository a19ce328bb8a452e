/**
 * `npm run deploy`: applies D1 migrations to the remote database, creates the queues the
 * configs name (if missing), removes a queue consumer that moved to another worker, then deploys
 * the workers
 * in dependency order (identity ← router ← webhooks), so no worker goes live bound to a
 * service that does not exist yet, then runs the first run (scripts/first-run.ts: the instance
 * owner from ADMIN_EMAIL / ADMIN_PASSWORD, or a one-time setup URL). `npm run deploy -- --dry-run`
 * builds every bundle without uploading and prints its size.
 *
 * The router and identity bind the webhooks worker's DeliveryService (DELIVERY) while webhooks
 * binds both of them: a cycle. Cloudflare refuses a binding to a Worker that does not exist, so
 * on the very first deploy a placeholder webhooks worker (workers/webhooks/placeholder/) is
 * uploaded first; the real one replaces it at the end of the same deploy.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { experimental_readRawConfig } from "wrangler";
import { rotateSecrets } from "../lib/crypto/rotate.ts";
import { firstRun, remoteD1, report } from "./first-run.ts";
import { ROOT } from "./local.ts";
import { printReport, remoteRunner } from "./rotate-key.ts";

/** Deploy order: a worker comes after every worker it binds to. */
export const DEPLOY_ORDER = [
  { key: "identity", config: "workers/identity/wrangler.toml" },
  { key: "router", config: "wrangler.toml" },
  { key: "webhooks", config: "workers/webhooks/wrangler.toml" },
  // Binds the webhooks worker's DeliveryService (proactive chat); the router's MODULES binding
  // points at it, so a first deploy of the router meets a missing service until this one is up.
  { key: "modules", config: "workers/modules/wrangler.toml" },
] as const;

/**
 * The queues the workers' configs name (producers, consumers, dead-letter queues). A queue must
 * exist before a worker that binds it deploys.
 */
export function queueNames(): string[] {
  const names = new Set<string>();
  for (const { config } of DEPLOY_ORDER) {
    const { queues } = experimental_readRawConfig({ config: path.join(ROOT, config) }).rawConfig;
    for (const p of queues?.producers ?? []) names.add(p.queue);
    for (const c of queues?.consumers ?? []) {
      names.add(c.queue);
      if (c.dead_letter_queue) names.add(c.dead_letter_queue);
    }
  }
  return [...names];
}

/** `wrangler queues create`, where "already exists" counts as done: deploys run again and again. */
function ensureQueue(name: string): void {
  const result = spawnSync("npx", ["wrangler", "queues", "create", name], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status === 0) console.log(`queue ${name} created`);
  else if (/already (exists|taken)/i.test(output)) console.log(`queue ${name} exists`);
  else throw new Error(`wrangler queues create ${name} failed (${result.status}):\n${output}`);
}

/**
 * Queues whose consumer moved to another worker in a release: the events queue and its dead
 * letters were consumed by the webhooks worker and are now consumed by the router. A queue has one
 * consumer, so the old one is removed before the new one's worker deploys (the router deploys
 * before the webhooks worker); messages wait in the queue meanwhile, none is lost.
 */
export const MOVED_CONSUMERS = [
  { queue: "waddlebot-events", from: "waddlebot-webhooks" },
  { queue: "waddlebot-events-dlq", from: "waddlebot-webhooks" },
] as const;

/**
 * `wrangler queues consumer remove`. On a fresh instance or a second deploy there is nothing to
 * remove and wrangler says so: that is logged and the deploy goes on (were the old consumer still
 * there, the router's deploy would stop with Cloudflare's own error naming it).
 */
function removeMovedConsumer(queue: string, script: string): void {
  const result = spawnSync("npx", ["wrangler", "queues", "consumer", "remove", queue, script], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  const output = `${result.stdout}${result.stderr}`.trim().split("\n").at(-1) ?? "";
  if (result.status === 0) console.log(`queue ${queue}: consumer ${script} removed (it moved)`);
  else console.log(`queue ${queue}: no consumer ${script} to remove (${output})`);
}

function wrangler(args: string[]): void {
  const result = spawnSync("npx", ["wrangler", ...args], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  if (result.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed (${result.status})`);
}

/** Uploads the placeholder under `name` unless a Worker of that name is deployed already. */
function ensurePlaceholder(name: string): void {
  const probe = spawnSync("npx", ["wrangler", "deployments", "list", "--name", name], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  if (probe.status === 0) return;
  wrangler(["deploy", "-c", "workers/webhooks/placeholder/wrangler.toml", "--name", name]);
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
    for (const name of queueNames()) ensureQueue(name);
    for (const { queue, from } of MOVED_CONSUMERS) removeMovedConsumer(queue, from);
    ensurePlaceholder("waddlebot-webhooks");
    for (const { config } of DEPLOY_ORDER) wrangler(["deploy", "-c", config]);
    printSizes(dryRun());
    report(await firstRun(remoteD1, process.env));
    // The data migration for module secrets written in clear by earlier releases (and any value
    // an older key sealed): needs the workers' TOKEN_ENCRYPTION_KEY in this shell.
    if (process.env.TOKEN_ENCRYPTION_KEY) printReport(await rotateSecrets(process.env, remoteRunner));
    else console.log("secrets: set TOKEN_ENCRYPTION_KEY and run `npm run rotate-key -- --remote` to seal older rows");
  }
}
