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

/** Re-points an auxiliary worker's service bindings to `from` at `to` (the test runner's worker). */
export function pointServiceAt<W extends { serviceBindings?: unknown }>(worker: W, from: string, _to: string): W {
  const bindings = { ...((worker.serviceBindings as Record<string, unknown> | undefined) ?? {}) };
  for (const [key, target] of Object.entries(bindings)) {
    if (target === from || (target as { name?: string } | null)?.name === from) delete bindings[key];
  }
  return { ...worker, serviceBindings: bindings } as W;
}
