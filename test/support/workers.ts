/**
 * Node-side helper for the vitest config: another worker (by its wrangler.toml) as an
 * auxiliary worker for Miniflare, bundled, with the bindings its wrangler.toml declares. The
 * test plugin does not build auxiliary workers itself.
 */
import path from "node:path";
import { experimental_readRawConfig } from "wrangler";
import { miniflareWorker, ROOT } from "../../scripts/local.ts";

export function auxiliaryWorker(configPath: string, vars: Record<string, string>) {
  const name = experimental_readRawConfig({ config: path.resolve(ROOT, configPath) }).rawConfig.name ?? "worker";
  return miniflareWorker(configPath, path.join(ROOT, ".wrangler/test-build", name), vars);
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
