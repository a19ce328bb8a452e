import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { makeTestVars } from "./test/support/test-vars.ts";
import { auxiliaryWorker } from "./test/support/workers.ts";

/**
 * One project per worker and one for the Durable Objects, all inside workerd with real D1
 * and real Durable Objects; plus the end-to-end project, which runs the three workers the
 * way `npm start` does and talks to them over HTTP. `npm test` runs them all together.
 */
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  const vars = makeTestVars();
  const shared = { bindings: { ...vars, TEST_MIGRATIONS: migrations } };
  const setupFiles = ["./test/support/apply-migrations.ts"];
  const identity = await auxiliaryWorker("workers/identity/wrangler.toml", vars);
  const router = await auxiliaryWorker("wrangler.toml", vars);

  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: { ...shared, workers: [identity] },
            }),
          ],
          test: { name: "router", include: ["workers/router/test/**/*.test.ts"], setupFiles },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./workers/webhooks/wrangler.toml" },
              miniflare: { ...shared, workers: [router, identity] },
            }),
          ],
          test: { name: "webhooks", include: ["workers/webhooks/test/**/*.test.ts"], setupFiles },
        },
        {
          plugins: [
            cloudflareTest({ wrangler: { configPath: "./workers/identity/wrangler.toml" }, miniflare: shared }),
          ],
          test: { name: "identity", include: ["workers/identity/test/**/*.test.ts"], setupFiles },
        },
        {
          plugins: [
            cloudflareTest({
              main: "./test/durable-objects/harness.ts",
              miniflare: {
                ...shared,
                compatibilityDate: "2026-08-01",
                compatibilityFlags: ["nodejs_compat"],
                d1Databases: ["DB"],
                durableObjects: {
                  RATE_LIMITER: { className: "RateLimiter", useSQLite: true },
                  DEDUPE: { className: "Deduplicator", useSQLite: true },
                },
              },
            }),
          ],
          test: { name: "durable-objects", include: ["durable-objects/test/**/*.test.ts"], setupFiles },
        },
        {
          test: {
            name: "e2e",
            include: ["test/e2e/**/*.test.ts"],
            environment: "node",
            globalSetup: ["./test/e2e/global-setup.ts"],
            testTimeout: 30_000,
            hookTimeout: 60_000,
          },
        },
        {
          test: { name: "build", include: ["test/build/**/*.test.ts"], environment: "node", testTimeout: 120_000 },
        },
      ],
    },
  };
});
