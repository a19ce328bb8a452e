import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { DEPLOY_ORDER, dryRun, printSizes, queueNames } from "../../scripts/deploy.ts";

const out = mkdtempSync(path.join(tmpdir(), "waddlebot-dist-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// Workers' upload limit is 3 MiB gzipped on the free plan; we stay far below it.
const FREE_PLAN_LIMIT = 3 * 1024 * 1024;

it("builds every worker with wrangler deploy --dry-run and prints the sizes", () => {
  const sizes = dryRun(out);
  printSizes(sizes);
  expect(sizes.map((s) => s.worker)).toEqual(DEPLOY_ORDER.map((w) => w.key));
  for (const s of sizes) {
    expect(s.gzipBytes).toBeGreaterThan(1000);
    expect(s.gzipBytes).toBeLessThan(FREE_PLAN_LIMIT);
  }
}, 120_000);

it("creates, before deploying, every queue the configs name (events, its dead-letter queue, role sync)", () => {
  expect(queueNames().sort()).toEqual(["waddlebot-events", "waddlebot-events-dlq", "waddlebot-role-sync"]);
});
