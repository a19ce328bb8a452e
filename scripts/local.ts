/**
 * Runs the four workers locally in one workerd (through Miniflare, the engine under
 * `wrangler dev`), each on its own port, sharing one local D1 and with service bindings and
 * RPC between them. Used by `npm start` and by the end-to-end tests.
 *
 * Why not `wrangler dev`: it gives only the first of several workers a port, and several
 * `wrangler dev` processes cannot share one local D1 file (concurrent writes fail with
 * SQLITE_BUSY). The worker options still come from each worker's wrangler.toml, so the
 * bindings here are exactly the deployed ones.
 */
import { mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseEnv } from "node:util";
import { readD1Migrations } from "@cloudflare/vitest-plugin";
import * as esbuild from "esbuild";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import { experimental_readRawConfig, unstable_getMiniflareWorkerOptions } from "wrangler";

export const ROOT = path.resolve(import.meta.dirname, "..");

export const WORKERS = [
  { key: "router", config: "wrangler.toml", port: 8787 },
  { key: "webhooks", config: "workers/webhooks/wrangler.toml", port: 8788 },
  { key: "identity", config: "workers/identity/wrangler.toml", port: 8789 },
  // Reached by the router over RPC only; its port serves /health.
  { key: "modules", config: "workers/modules/wrangler.toml", port: 8791 },
] as const;
export type WorkerKey = (typeof WORKERS)[number]["key"];

/** esbuild options matching what wrangler uses for a module worker. */
export function bundleOptions(entry: string, outfile: string): esbuild.BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2024",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    external: ["cloudflare:*", "node:*"],
    sourcemap: "linked",
    logLevel: "warning",
  };
}

/** Bundles one worker (by its wrangler.toml) to a single ESM file; returns the file. */
export async function bundleWorker(configPath: string, outDir: string): Promise<string> {
  const { main } = unstable_getMiniflareWorkerOptions(path.resolve(ROOT, configPath));
  if (!main) throw new Error(`${configPath} has no main`);
  const outfile = path.join(outDir, "index.js");
  await esbuild.build(bundleOptions(main, outfile));
  return outfile;
}

/** Reads `.dev.vars`-style KEY=value lines. */
export async function readVars(file: string): Promise<Record<string, string>> {
  try {
    return parseEnv(await readFile(file, "utf8")) as Record<string, string>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw err;
  }
}

/**
 * One worker as Miniflare runs it: bundled by esbuild, with the bindings its wrangler.toml
 * declares (read by wrangler itself) and the given settings. Used by the local system and by
 * the test projects' auxiliary workers, so both run exactly what deploys.
 */
export async function miniflareWorker(config: string, outDir: string, vars: Record<string, string>) {
  const configPath = path.resolve(ROOT, config);
  mkdirSync(outDir, { recursive: true });
  const scriptPath = await bundleWorker(configPath, outDir);
  const { workerOptions } = unstable_getMiniflareWorkerOptions(configPath);
  const name = experimental_readRawConfig({ config: configPath }).rawConfig.name;
  if (!name) throw new Error(`${configPath} has no name`);
  // Already bundled by esbuild: module rules would only re-describe what is in the bundle.
  const { modulesRules: _rules, ...options } = workerOptions;
  return {
    ...options,
    name,
    modules: true as const,
    scriptPath,
    modulesRoot: outDir,
    bindings: { ...(options.bindings as Record<string, string>), ...vars },
  };
}

export interface LocalOptions {
  /** Ports per worker; 0 picks a free port. */
  ports?: Partial<Record<WorkerKey, number>>;
  host?: string;
  /** Where local D1 and Durable Object state live (wrangler's `--persist-to` layout). */
  persistDir: string;
  /** Settings given to every worker (from .dev.vars, plus overrides). */
  vars: Record<string, string>;
  /** Where bundles are written. */
  buildDir: string;
  logLevel?: LogLevel;
  /** Runs after the migrations and before any port opens (the demo seed). */
  prepare?: (db: D1Like) => Promise<void>;
  /**
   * Miniflare's dev registry (how other local workerd processes reach these workers and their
   * Durable Objects): a private folder for the overlay bench's edge processes; by default
   * Miniflare's shared one.
   */
  devRegistryPath?: string;
}

export interface LocalSystem {
  mf: Miniflare;
  urls: Record<WorkerKey, string>;
  dispose(): Promise<void>;
}

/**
 * Bundles and starts the four workers. Their ports open only once the system is ready: the
 * workers first run with no listening sockets while the D1 migrations are applied and
 * `prepare` (the demo seed) runs, then Miniflare reloads them with their ports. A request
 * that came in earlier would have met "no such table"; now it meets a closed port.
 */
export async function startLocal(opts: LocalOptions): Promise<LocalSystem> {
  const host = opts.host ?? "127.0.0.1";
  const workers = await Promise.all(
    WORKERS.map(async (w) => miniflareWorker(w.config, path.join(opts.buildDir, w.key), opts.vars)),
  );
  const miniflareOptions = (listen: boolean) =>
    convertV4MiniflareOptions({
      workers: workers.map((worker, i) => {
        const { key, port } = WORKERS[i]!;
        return listen ? { ...worker, unsafeDirectSockets: [{ host, port: opts.ports?.[key] ?? port }] } : worker;
      }) as never,
      resourcePersistencePath: path.join(opts.persistDir, "v3"),
      ...(opts.devRegistryPath ? { unsafeDevRegistryPath: opts.devRegistryPath } : {}),
      // No Request.cf lookup: nothing calls out of the machine.
      cf: false,
      log: new Log(opts.logLevel ?? LogLevel.WARN),
    } as never);
  const mf = new Miniflare(miniflareOptions(false));
  await mf.ready;
  const db = await mf.getD1Database("DB", workers[0]!.name);
  await applyMigrations(db);
  try {
    await opts.prepare?.(db);
    await mf.setOptions(miniflareOptions(true));
  } catch (err) {
    // A port already taken (or a failed seed) must not leave a workerd running behind.
    await mf.dispose().catch(() => {});
    throw err;
  }
  const urls = {} as Record<WorkerKey, string>;
  for (const [i, w] of WORKERS.entries()) {
    urls[w.key] = (await mf.unsafeGetDirectURL(workers[i]!.name)).toString().replace(/\/$/, "");
  }
  return { mf, urls, dispose: () => mf.dispose() };
}

type D1Like = Awaited<ReturnType<Miniflare["getD1Database"]>>;

/**
 * Applies `migrations/*.sql` not applied yet, tracked in `d1_migrations` exactly as
 * `wrangler d1 migrations apply` tracks them, so either tool can take over.
 */
export async function applyMigrations(db: D1Like): Promise<string[]> {
  await db
    .prepare(
      "CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)",
    )
    .run();
  const applied = new Set(
    (await db.prepare("SELECT name FROM d1_migrations").all<{ name: string }>()).results.map((r) => r.name),
  );
  const done: string[] = [];
  for (const m of await readD1Migrations(path.join(ROOT, "migrations"))) {
    if (applied.has(m.name)) continue;
    await db.batch([
      ...m.queries.map((q) => db.prepare(q)),
      db.prepare("INSERT INTO d1_migrations (name) VALUES (?)").bind(m.name),
    ]);
    done.push(m.name);
  }
  return done;
}
