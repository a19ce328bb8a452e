/**
 * Starts the whole system once for the end-to-end project, the way `npm start` does: four
 * workers on free ports, one throwaway local D1, migrations applied, demo data seeded. Test
 * files read the URLs and the (freshly generated) settings with `inject(...)`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { displayPrefix, generateApiKey, hashApiKey } from "../../lib/auth/api-keys.ts";
import { issueLoginLink, loginLinkUrl } from "../../lib/auth/login-links.ts";
import { type LocalSystem, startLocal } from "../../scripts/local.ts";
import { type SeedResult, seedDemo } from "../../scripts/seed.ts";
import { startFakePlatform } from "../support/fake-platform.ts";
import { freePort, withFreshPorts } from "../support/free-port.ts";
import { makeTestVars } from "../support/test-vars.ts";

declare module "vitest" {
  export interface ProvidedContext {
    urls: { router: string; webhooks: string; identity: string; modules: string };
    vars: Record<string, string>;
    demoCommunityId: string;
    fakePlatformUrl: string;
    /** A Bearer API key of the seeded admin (global admin, owner of the demo community). */
    adminApiKey: string;
    /** A second community owned by the admin, linked to no platform (connections.test.ts connects it). */
    emptyCommunityId: string;
    /** A third one, for the portal's connect page in Chromium (portal-connections.test.ts). */
    portalCommunityId: string;
    /** Where the local D1 database files are (a test reads them for secrets in clear text). */
    d1Dir: string;
    /** A one-time sign-in link of the seeded admin, as the `npm start` banner prints it (portal-account.test.ts spends it). */
    adminLoginLink: string;
  }
}

let system: LocalSystem | undefined;

let stateDir: string | undefined;

export default async function setup(project: TestProject) {
  stateDir = mkdtempSync(path.join(tmpdir(), "waddlebot-e2e-"));
  const fake = await startFakePlatform();
  // The portal's origin must be PUBLIC_URL (the identity worker's CSRF Origin check), so the
  // router's free port is chosen before starting rather than by workerd (and chosen again if
  // another process took it meanwhile, with fresh state: the seed runs once per database).
  let vars: Record<string, string> = {};
  let seeded: SeedResult | undefined;
  let state = "";
  system = await withFreshPorts(async (attempt) => {
    const routerPort = await freePort();
    vars = { ...makeTestVars(), ...fake.bases, PUBLIC_URL: `http://127.0.0.1:${routerPort}` };
    state = path.join(stateDir!, `state-${attempt}`);
    return startLocal({
      ports: { router: routerPort, webhooks: 0, identity: 0, modules: 0 },
      persistDir: state,
      buildDir: path.join(stateDir!, "build"),
      vars,
      // As `npm start` does: seeded before any port opens.
      prepare: async (db) => {
        seeded = await seedDemo(db, vars);
      },
    });
  });
  if (!seeded) throw new Error("the demo seed did not run");
  const db = await system.mf.getD1Database("DB", "waddlebot-router");
  const adminApiKey = generateApiKey();
  await db
    .prepare(
      "INSERT INTO api_keys (id, user_id, name, prefix, key_hash, created_at) VALUES (?, ?, 'e2e admin', ?, ?, ?)",
    )
    .bind(
      crypto.randomUUID(),
      seeded.adminUserId,
      displayPrefix(adminApiKey),
      await hashApiKey(adminApiKey),
      Date.now(),
    )
    .run();
  // Until POST /api/v1/communities lands (issue 11, first run): empty communities made directly.
  const emptyCommunity = async (name: string) => {
    const id = crypto.randomUUID();
    await db
      .prepare(
        "INSERT INTO communities (id, slug, name, owner_user_id, settings, is_active, created_at, updated_at) VALUES (?, ?, ?, ?, '{}', 1, ?, ?)",
      )
      .bind(id, `c-${id.slice(0, 8)}`, name, seeded!.adminUserId, Date.now(), Date.now())
      .run();
    return id;
  };
  project.provide("emptyCommunityId", await emptyCommunity("Community B"));
  project.provide("portalCommunityId", await emptyCommunity("Community C"));
  project.provide("d1Dir", path.join(state, "v3", "d1"));
  project.provide("urls", system.urls);
  project.provide("vars", vars);
  project.provide("demoCommunityId", seeded.communityId);
  project.provide("fakePlatformUrl", fake.url);
  project.provide("adminApiKey", adminApiKey);
  project.provide("adminLoginLink", loginLinkUrl(system.urls.router, await issueLoginLink(db, seeded.adminUserId)));

  return async () => {
    await system?.dispose();
    await fake.close();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  };
}
