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
 * Drops an auxiliary worker's service bindings to `from`: in the project that tests `from`
 * itself, that worker is the test runner, which has no other name to bind to (the router's
 * tests need the webhooks worker only for its Outbox).
 */
export function dropServiceTo<W extends object>(worker: W, from: string): W {
  const bindings = { ...((worker as { serviceBindings?: Record<string, unknown> }).serviceBindings ?? {}) };
  for (const [key, target] of Object.entries(bindings)) {
    if (target === from || (target as { name?: string } | null)?.name === from) delete bindings[key];
  }
  return { ...worker, serviceBindings: bindings } as W;
}
