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
import { type LocalSystem, startLocal } from "../../scripts/local.ts";
import { type SeedResult, seedDemo } from "../../scripts/seed.ts";
import { startFakePlatform } from "../support/fake-platform.ts";
import { freePort } from "../support/free-port.ts";
import { makeTestVars } from "../support/test-vars.ts";

declare module "vitest" {
  export interface ProvidedContext {
    urls: { router: string; webhooks: string; identity: string; modules: string };
    vars: Record<string, string>;
    demoCommunityId: string;
    fakePlatformUrl: string;
    /** A Bearer API key of the seeded admin (global admin, owner of the demo community). */
    adminApiKey: string;
  }
}

let system: LocalSystem | undefined;

let stateDir: string | undefined;

export default async function setup(project: TestProject) {
  stateDir = mkdtempSync(path.join(tmpdir(), "waddlebot-e2e-"));
  const fake = await startFakePlatform();
  // The portal's origin must be PUBLIC_URL (the identity worker's CSRF Origin check), so the
  // router's free port is chosen before starting rather than by workerd.
  const routerPort = await freePort();
  const vars = { ...makeTestVars(), ...fake.bases, PUBLIC_URL: `http://127.0.0.1:${routerPort}` };
  let seeded: SeedResult | undefined;
  system = await startLocal({
    ports: { router: routerPort, webhooks: 0, identity: 0, modules: 0 },
    persistDir: path.join(stateDir, "state"),
    buildDir: path.join(stateDir, "build"),
    vars,
    // As `npm start` does: seeded before any port opens.
    prepare: async (db) => {
      seeded = await seedDemo(db, vars);
    },
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
  project.provide("urls", system.urls);
  project.provide("vars", vars);
  project.provide("demoCommunityId", seeded.communityId);
  project.provide("fakePlatformUrl", fake.url);
  project.provide("adminApiKey", adminApiKey);

  return async () => {
    await system?.dispose();
    await fake.close();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  };
}
