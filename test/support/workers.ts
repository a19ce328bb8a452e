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
