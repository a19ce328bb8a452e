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
import { issueLoginLink, LOGIN_LINK_TTL_MS, loginLinkUrl } from "../lib/auth/login-links.ts";
import { randomHex } from "../lib/crypto/encoding.ts";
import { d1Runner, rotateSecrets } from "../lib/crypto/rotate.ts";
import { printDevMail } from "./dev-mail.ts";
import { ROOT, readVars, startLocal } from "./local.ts";
import { busyPortMessage, localPorts } from "./ports.ts";
import { type SeedResult, seedDemo } from "./seed.ts";

let ports: ReturnType<typeof localPorts>;
try {
  ports = localPorts();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
const busy = await busyPortMessage(ports);
if (busy) {
  console.error(busy);
  process.exit(1);
}

const devVarsPath = path.join(ROOT, ".dev.vars");
const firstRun = !existsSync(devVarsPath);
if (firstRun) {
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
// The portal's origin follows the router's port (links in mail, the CSRF Origin check).
if (ports.router !== 8787 && vars.PUBLIC_URL === "http://127.0.0.1:8787")
  vars.PUBLIC_URL = `http://127.0.0.1:${ports.router}`;

let seeded: SeedResult | undefined;
const system = await startLocal({
  ports,
  persistDir: path.join(ROOT, ".wrangler/state"),
  buildDir: path.join(ROOT, ".wrangler/local"),
  vars,
  // Seeded before the ports open, so the first request already finds the demo community.
  prepare: async (db) => {
    seeded = await seedDemo(db, vars);
    // Module secrets a local database holds in clear from before they were sealed (idempotent).
    await rotateSecrets(vars, d1Runner(db as never));
  },
});

// The gateway relay (Discord gateway, Twitch IRC) as one copy in this process, when enabled.
const relay =
  vars.RELAY_ENABLED === "true"
    ? await startRelay(readConfig({ ...vars, ...process.env, RELAY_WEBHOOKS_URL: system.urls.webhooks }))
    : undefined;

// A fresh one-time sign-in link for the admin on every start (only its hash is stored).
const db = await system.mf.getD1Database("DB", "waddlebot-router");
const signInLink = seeded ? loginLinkUrl(system.urls.router, await issueLoginLink(db, seeded.adminUserId)) : undefined;

console.log(`
WaddleBot is running locally.

  router, admin API, portal, overlays  ${system.urls.router}
    OpenAPI document                   ${system.urls.router}/api/v1/openapi.json
  webhooks (platform ingress)          ${system.urls.webhooks}
    /discord/interactions  /twitch/eventsub  /slack/events  /slack/commands
    /slack/interactions    /relay/events
  identity                             ${system.urls.identity}
  first-party modules (RPC; /health)   ${system.urls.modules}
  gateway relay                        ${relay ? `${relay.url}/health  /metrics` : "off (RELAY_ENABLED=true in .dev.vars starts it)"}
  health                               GET /health and /health/detailed on each

  admin login   ${vars.ADMIN_EMAIL}  ${
    firstRun
      ? `password ${vars.ADMIN_PASSWORD}  (shown this once; it stays in .dev.vars as ADMIN_PASSWORD)`
      : "(password: ADMIN_PASSWORD in .dev.vars)"
  }
  sign in once  ${signInLink ?? "(no admin seeded)"}
                (one-time link, ${LOGIN_LINK_TTL_MS / 60_000} minutes; each npm start prints a new one)
  mail          not sent locally without SMTP_HOST: printed here and kept at ${system.urls.router}/api/v1/auth/dev/mailbox
  demo community ${seeded?.communityId}
  state         .wrangler/state (delete it to start from scratch)

Ctrl-C stops everything.`);

// Without SMTP the identity worker keeps mail in the dev mailbox (never in its logs): show it here.
const stopMail = vars.SMTP_HOST ? () => undefined : printDevMail(db);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping...`);
  stopMail();
  await relay?.stop();
  await system.dispose();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
