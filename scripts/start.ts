/**
 * `npm start`: the whole system on this machine. Creates .dev.vars from the example when it
 * is missing, starts the three workers with one shared local D1, applies migrations, seeds
 * the demo community and admin, and only then opens the local URLs and prints what is where.
 */
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { readConfig } from "../gateway-relay/src/config.ts";
import { startRelay } from "../gateway-relay/src/relay.ts";
import { randomHex } from "../lib/crypto/encoding.ts";
import { ROOT, readVars, startLocal } from "./local.ts";
import { type SeedResult, seedDemo } from "./seed.ts";

const devVarsPath = path.join(ROOT, ".dev.vars");
if (!existsSync(devVarsPath)) {
  const example = readFileSync(path.join(ROOT, ".dev.vars.example"), "utf8");
  writeFileSync(
    devVarsPath,
    example
      .replaceAll("<generate>", () => randomHex(24))
      .replaceAll("<generate-key>", () => randomBytes(32).toString("base64")),
    { mode: 0o600 },
  );
  console.log("Created .dev.vars from .dev.vars.example (fresh random secrets filled in).");
} else if (!/^TOKEN_ENCRYPTION_KEY=\S/m.test(readFileSync(devVarsPath, "utf8"))) {
  // A .dev.vars from before secrets were encrypted at rest: give it its key once.
  appendFileSync(devVarsPath, `\nTOKEN_ENCRYPTION_KEY=${randomBytes(32).toString("base64")}\n`);
  console.log("Added a fresh TOKEN_ENCRYPTION_KEY to .dev.vars.");
}
const vars = await readVars(devVarsPath);

let seeded: SeedResult | undefined;
const system = await startLocal({
  persistDir: path.join(ROOT, ".wrangler/state"),
  buildDir: path.join(ROOT, ".wrangler/local"),
  vars,
  // Seeded before the ports open, so the first request already finds the demo community.
  prepare: async (db) => {
    seeded = await seedDemo(db, vars);
  },
});

// The gateway relay (Discord gateway, Twitch IRC) as one copy in this process, when enabled.
const relay =
  vars.RELAY_ENABLED === "true"
    ? await startRelay(readConfig({ ...vars, ...process.env, RELAY_WEBHOOKS_URL: system.urls.webhooks }))
    : undefined;

console.log(`
WaddleBot is running locally.

  router, admin API, portal, overlays  ${system.urls.router}
    OpenAPI document                   ${system.urls.router}/api/v1/openapi.json
  webhooks (platform ingress)          ${system.urls.webhooks}
    /discord/interactions  /twitch/eventsub  /slack/events  /slack/commands
    /slack/interactions    /relay/events
  identity                             ${system.urls.identity}
  gateway relay                        ${relay ? `${relay.url}/health  /metrics` : "off (RELAY_ENABLED=true in .dev.vars starts it)"}
  health                               GET /health and /health/detailed on each

  admin login   ${vars.ADMIN_EMAIL}  (password: ADMIN_PASSWORD in .dev.vars)
  demo community ${seeded?.communityId}
  state         .wrangler/state (delete it to start from scratch)

Ctrl-C stops everything.`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping...`);
  await relay?.stop();
  await system.dispose();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
