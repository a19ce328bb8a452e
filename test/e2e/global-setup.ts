/**
 * Starts the whole system once for the end-to-end project, the way `npm start` does: three
 * workers on free ports, one throwaway local D1, migrations applied, demo data seeded. Test
 * files read the URLs and the (freshly generated) settings with `inject(...)`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { type LocalSystem, startLocal } from "../../scripts/local.ts";
import { seedDemo } from "../../scripts/seed.ts";
import { startFakePlatform } from "../support/fake-platform.ts";
import { makeTestVars } from "../support/test-vars.ts";

declare module "vitest" {
  export interface ProvidedContext {
    urls: { router: string; webhooks: string; identity: string };
    vars: Record<string, string>;
    demoCommunityId: string;
    fakePlatformUrl: string;
  }
}

let system: LocalSystem | undefined;
let stateDir: string | undefined;

export default async function setup(project: TestProject) {
  stateDir = mkdtempSync(path.join(tmpdir(), "waddlebot-e2e-"));
  const fake = await startFakePlatform();
  const vars = { ...makeTestVars(), ...fake.bases };
  system = await startLocal({
    ports: { router: 0, webhooks: 0, identity: 0 },
    persistDir: path.join(stateDir, "state"),
    buildDir: path.join(stateDir, "build"),
    vars,
  });
  const seeded = await seedDemo(await system.mf.getD1Database("DB", "waddlebot-router"), vars);
  project.provide("urls", system.urls);
  project.provide("vars", vars);
  project.provide("demoCommunityId", seeded.communityId);
  project.provide("fakePlatformUrl", fake.url);

  return async () => {
    await system?.dispose();
    await fake.close();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  };
}
