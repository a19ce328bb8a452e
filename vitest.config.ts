import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import { fakeBases } from "./test/shared/fake-control.ts";
import { makeTestVars } from "./test/support/test-vars.ts";
import { auxiliaryWorker } from "./test/support/workers.ts";

type PoolOptions = Parameters<typeof cloudflareTest>[0] & object;

/** The worker a project tests runs as this runner, not under its wrangler name. */
const MAIN_NAMES: Record<string, string> = {
  router: "waddlebot-router",
  webhooks: "waddlebot-webhooks",
  modules: "waddlebot-modules",
  identity: "waddlebot-identity",
};

/**
 * An auxiliary worker's service bindings to the worker under test are pointed at the test
 * runner (the plugin runs the main worker as `vitest-plugin-runner-<project>`), so the router
 * aux of the `modules` project calls the modules worker whose Durable Objects the tests reach.
 */
function selfBound<W>(project: string, worker: W): W {
  const main = MAIN_NAMES[project];
  const w = worker as { serviceBindings?: Record<string, unknown>; durableObjects?: Record<string, unknown> };
  if (!main) return worker;
  const runner = `vitest-plugin-runner-${project}`;
  const services = Object.entries(w.serviceBindings ?? {}).map(([k, v]) => {
    const target = typeof v === "string" ? v : (v as { name?: string })?.name;
    if (target !== main) return [k, v];
    // A named entrypoint stays named (the modules worker's DELIVERY → the runner's DeliveryService).
    return [k, typeof v === "string" ? runner : { ...(v as object), name: runner }];
  });
  // A Durable Object of the worker under test, bound from an auxiliary.
  const objects = Object.entries(w.durableObjects ?? {}).map(([k, v]) => {
    const o = v as { scriptName?: string };
    return [k, typeof v === "object" && o.scriptName === main ? { ...o, scriptName: runner } : v];
  });
  return { ...worker, serviceBindings: Object.fromEntries(services), durableObjects: Object.fromEntries(objects) };
}

/** The router binds the modules worker, which binds the webhooks worker's delivery service. */
const FIRST_PARTY = ["workers/modules/wrangler.toml", "workers/webhooks/wrangler.toml"];

/**
 * One project per worker and one for the Durable Objects, all inside workerd with real D1
 * and real Durable Objects; plus the end-to-end project, which runs the three workers the
 * way `npm start` does and talks to them over HTTP; plus the bundle build. `npm test` runs
 * them all together.
 */
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  const baseVars = makeTestVars();

  /** A workerd project whose platform API bases point at its own fake platform. */
  const workerd = (
    name: string,
    include: string,
    options: (vars: Record<string, string>) => Promise<Omit<PoolOptions, "miniflare">> | Omit<PoolOptions, "miniflare">,
    auxiliary: string[] = [],
    miniflare: Record<string, unknown> = {},
    test: TestProjectInlineConfiguration["test"] = {},
  ): TestProjectInlineConfiguration => ({
    plugins: [
      cloudflareTest(async ({ inject }) => {
        const vars = { ...baseVars, ...fakeBases(inject("fakePlatformUrl")) };
        const workers = (await Promise.all(auxiliary.map((config) => auxiliaryWorker(config, vars)))).map((w) =>
          selfBound(name, w),
        );
        return {
          ...(await options(vars)),
          miniflare: { bindings: { ...vars, TEST_MIGRATIONS: migrations }, workers, ...miniflare },
        };
      }),
    ],
    test: {
      name,
      include: [include],
      setupFiles: ["./test/support/apply-migrations.ts"],
      globalSetup: ["./test/support/fake-platform-setup.ts"],
      // A test of tens of sequential RPCs and D1 writes takes ~1 s alone and over 5 s (the
      // default) on a machine at load 16: the bound is for a hung test, not a speed check.
      testTimeout: 20_000,
      // Workers' console output straight to the process, not through vitest's console RPC. A log
      // from another I/O context (a queue consumer, a Durable Object, waitUntil) that lands as a
      // file ends is parked until the runner's next message, which never comes, and the run never
      // exits (cloudflare/workers-sdk#15498, #15719; fix proposed in #15565). The router consuming
      // the events queue (an auxiliary worker here, calling the Outbox in the runner) hit it in
      // two full runs of four. The cost: logs lose their "file > test" header.
      disableConsoleIntercept: true,
      ...test,
    },
  });

  return {
    test: {
      // Three files at a time on two cores: most e2e time is waiting on sockets, browsers and
      // conditions, so one file at a time (vitest's default here, cores - 1) leaves the CPU idle.
      // Files side by side start what they change on their own ports and folders and assert only
      // on their own ids; the README ("Tests") has the times and the relay races this exposed.
      maxWorkers: 3,
      projects: [
        workerd("router", "workers/router/test/**/*.test.ts", () => ({ wrangler: { configPath: "./wrangler.toml" } }), [
          "workers/identity/wrangler.toml",
          // DELIVERY (the delivery service) and the Outbox live in the webhooks worker.
          ...FIRST_PARTY,
        ]),
        workerd(
          "webhooks",
          "workers/webhooks/test/**/*.test.ts",
          () => ({ wrangler: { configPath: "./workers/webhooks/wrangler.toml" } }),
          ["wrangler.toml", "workers/identity/wrangler.toml", "workers/modules/wrangler.toml"],
        ),
        workerd(
          "identity",
          "workers/identity/test/**/*.test.ts",
          () => ({ wrangler: { configPath: "./workers/identity/wrangler.toml" } }),
          // DELIVERY (link codes) lives in the webhooks worker, which binds the router.
          ["workers/webhooks/wrangler.toml", "wrangler.toml", "workers/modules/wrangler.toml"],
        ),
        // The first-party modules, driven through the real router (chat events over its RPC, the
        // installations API over HTTP), with the webhooks worker's delivery service for proactive chat.
        workerd(
          "modules",
          "workers/modules/test/**/*.test.ts",
          () => ({ wrangler: { configPath: "./workers/modules/wrangler.toml" } }),
          ["wrangler.toml", "workers/identity/wrangler.toml", "workers/webhooks/wrangler.toml"],
          { serviceBindings: { ROUTER: "waddlebot-router" } },
        ),
        workerd(
          "durable-objects",
          "durable-objects/test/**/*.test.ts",
          () => ({ main: "./test/durable-objects/harness.ts" }),
          [],
          {
            compatibilityDate: "2026-08-01",
            compatibilityFlags: ["nodejs_compat"],
            d1Databases: ["DB"],
            durableObjects: {
              RATE_LIMITER: { className: "RateLimiter", useSQLite: true },
              DEDUPE: { className: "Deduplicator", useSQLite: true },
              OUTBOX: { className: "Outbox", useSQLite: true },
              SESSIONS: { className: "RouterSession", useSQLite: true },
              OVERLAY_ROOM: { className: "OverlayRoom", useSQLite: true },
            },
          },
          // One runtime for all its files (not one per file: ~1.5 s each). Safe here because every
          // test names its own objects and uses no fake timers or stubbed globals; the other
          // projects fail this way (shared D1 rows, module state), so they stay isolated.
          { isolate: false },
        ),
        {
          test: {
            name: "e2e",
            include: ["test/e2e/**/*.test.ts"],
            environment: "node",
            globalSetup: ["./test/e2e/global-setup.ts"],
            testTimeout: 30_000,
            hookTimeout: 60_000,
            // A page's loading state or an OAuth round trip outlasts expect.poll's 1 s default on
            // a loaded machine; a poll still resolves as soon as its condition holds.
            expect: { poll: { timeout: 10_000 } },
          },
        },
        {
          test: { name: "build", include: ["test/build/**/*.test.ts"], environment: "node", testTimeout: 120_000 },
        },
      ],
    },
  };
});
