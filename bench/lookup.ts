/**
 * The cached command lookup, measured on the router's own code (bundled, since Node cannot run
 * its TS as is): 500 commands, the in-isolate config cache, one lookup per call.
 */
import path from "node:path";
import * as esbuild from "esbuild";
import { ROOT } from "../scripts/local.ts";

export async function cachedLookupNs(work: string, communityId: string): Promise<number> {
  const out = path.join(work, "lookup.mjs");
  await esbuild.build({
    stdin: {
      contents: `export { primeRouterConfig, cachedRouterConfig, DEFAULT_SETTINGS } from "./workers/router/src/router-config.ts";
                 export { buildCommandTable, lookupCommand } from "./workers/router/src/commands/registry.ts";
                 export { parseCommand } from "./workers/router/src/commands/parse.ts";`,
      resolveDir: ROOT,
      loader: "ts",
    },
    bundle: true,
    format: "esm",
    platform: "node",
    outfile: out,
    logLevel: "warning",
  });
  const m = await import(out);
  const now = new Date();
  const rows = Array.from({ length: 500 }, (_, i) => ({
    id: `cmd-${i}`,
    communityId: communityId,
    prefix: "!",
    name: `cmd${i}`,
    kind: "text",
    response: "hi {user}",
    moduleId: null,
    description: "",
    minLevel: "everyone",
    enabled: true,
    disabledChannels: [],
    globalCooldownSec: 0,
    userCooldownSec: 0,
    useCount: 0,
    createdAt: now,
    updatedAt: now,
  }));
  const table = m.buildCommandTable(communityId, rows, []);
  m.primeRouterConfig({
    communityId: communityId,
    commands: table,
    triggerModules: [],
    moderation: [],
    settings: m.DEFAULT_SETTINGS,
  });
  const names = rows.map((r) => r.name);
  let found = 0;
  const run = (n: number) => {
    for (let i = 0; i < n; i++) {
      const config = m.cachedRouterConfig(communityId);
      if (m.lookupCommand(config.commands, "!", names[i % names.length])) found++;
    }
  };
  run(200_000); // warm up the JIT
  const N = 2_000_000;
  const t = performance.now();
  run(N);
  const ns = ((performance.now() - t) * 1e6) / N;
  if (found !== N + 200_000) throw new Error("lookup missed");
  return ns;
}
