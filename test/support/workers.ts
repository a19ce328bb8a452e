/**
 * Node-side helpers for the vitest config: bundles a worker (by its wrangler.toml) into an
 * auxiliary worker for Miniflare, with the bindings its wrangler.toml declares. The test
 * plugin does not build auxiliary workers itself.
 */
import path from "node:path";
import { experimental_readRawConfig, unstable_getMiniflareWorkerOptions } from "wrangler";
import { bundleWorker, ROOT } from "../../scripts/local.ts";

export async function auxiliaryWorker(configPath: string, vars: Record<string, string>) {
  const absolute = path.resolve(ROOT, configPath);
  const name = experimental_readRawConfig({ config: absolute }).rawConfig.name;
  const outDir = path.join(ROOT, ".wrangler/test-build", name ?? "worker");
  const scriptPath = await bundleWorker(absolute, outDir);
  const { workerOptions } = unstable_getMiniflareWorkerOptions(absolute);
  const { modulesRules: _rules, ...options } = workerOptions;
  return {
    ...options,
    name,
    modules: true,
    scriptPath,
    modulesRoot: outDir,
    bindings: { ...(options.bindings as Record<string, string>), ...vars },
  };
}
