/**
 * Node-side helper for the vitest config: another worker (by its wrangler.toml) as an
 * auxiliary worker for Miniflare, bundled, with the bindings its wrangler.toml declares. The
 * test plugin does not build auxiliary workers itself.
 */
import path from "node:path";
import { experimental_readRawConfig } from "wrangler";
import { miniflareWorker, ROOT } from "../../scripts/local.ts";

/** A worker's name as its wrangler.toml gives it. */
export function workerName(configPath: string): string {
  return experimental_readRawConfig({ config: path.resolve(ROOT, configPath) }).rawConfig.name ?? "worker";
}

const bundles = new Map<string, ReturnType<typeof miniflareWorker>>();

/**
 * Each test file's runtime asks for its auxiliary workers again; bundling them anew every time
 * cost esbuild work per file, and two files starting at once wrote the same bundle while the
 * other's runtime was loading it. One bundle per worker and settings for the whole run; in
 * watch mode, restart vitest after changing an auxiliary worker's code.
 */
function bundledOnce(configPath: string, vars: Record<string, string>) {
  const key = `${configPath}\n${JSON.stringify(vars)}`;
  let bundle = bundles.get(key);
  if (!bundle) {
    bundle = miniflareWorker(configPath, path.join(ROOT, ".wrangler/test-build", workerName(configPath)), vars);
    bundle.catch(() => bundles.delete(key));
    bundles.set(key, bundle);
  }
  return bundle;
}

/**
 * The worker under test runs under the plugin's own name (`vitest-plugin-runner-<project>`), not
 * its wrangler name: an auxiliary worker's binding to it (the router's and identity's DELIVERY
 * → the webhooks worker, in the webhooks project) is pointed there.
 */
export async function auxiliaryWorker(
  configPath: string,
  vars: Record<string, string>,
  main?: { name: string; runner: string },
) {
  const worker = await bundledOnce(configPath, vars);
  const services = (worker as { serviceBindings?: Record<string, unknown> }).serviceBindings;
  if (!main || !services) return worker;
  const bindings = Object.fromEntries(
    Object.entries(services).map(([binding, target]) => {
      const t = target as { name?: string } | string;
      if (t === main.name) return [binding, main.runner];
      if (typeof t === "object" && t?.name === main.name) return [binding, { ...t, name: main.runner }];
      return [binding, target];
    }),
  );
  return { ...worker, serviceBindings: bindings } as typeof worker;
}

/**
 * Drops an auxiliary worker's bindings to `from` (service bindings, and Durable Object bindings
 * whose class lives there): in the project that tests `from` itself, that worker is the test
 * runner, which has no other name to bind to. (The router's tests need the webhooks worker only
 * for its Outbox; the webhooks tests need the router only for RPC.)
 */
export function dropServiceTo<W extends object>(worker: W, from: string): W {
  const w = worker as { serviceBindings?: Record<string, unknown>; durableObjects?: Record<string, unknown> };
  const services = { ...(w.serviceBindings ?? {}) };
  for (const [key, target] of Object.entries(services)) {
    if (target === from || (target as { name?: string } | null)?.name === from) delete services[key];
  }
  const objects = { ...(w.durableObjects ?? {}) };
  for (const [key, target] of Object.entries(objects)) {
    if ((target as { scriptName?: string } | null)?.scriptName === from) delete objects[key];
  }
  return { ...worker, serviceBindings: services, durableObjects: objects } as W;
}
