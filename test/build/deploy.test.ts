import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { experimental_readRawConfig } from "wrangler";
import { DEAD_LETTER_QUEUE, EVENTS_QUEUE } from "../../lib/events/queued-event.ts";
import { DEPLOY_ORDER, dryRun, MOVED_CONSUMERS, printSizes, queueNames } from "../../scripts/deploy.ts";
import { ROOT } from "../../scripts/local.ts";

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

interface RawConfig {
  name?: string;
  queues?: { producers?: { queue: string }[]; consumers?: { queue: string; dead_letter_queue?: string }[] };
  migrations?: { tag: string; new_sqlite_classes?: string[] }[];
  durable_objects?: { bindings?: { name: string; class_name: string; script_name?: string }[] };
}
const raw = (config: string) =>
  experimental_readRawConfig({ config: path.join(ROOT, config) }).rawConfig as unknown as RawConfig;

it("has the router consume the events queue and its dead letters, which only the webhooks worker produces", () => {
  const router = raw("wrangler.toml").queues;
  const webhooks = raw("workers/webhooks/wrangler.toml").queues;
  expect(router?.consumers?.map((c) => c.queue)).toEqual(expect.arrayContaining([EVENTS_QUEUE, DEAD_LETTER_QUEUE]));
  expect(router?.consumers?.find((c) => c.queue === EVENTS_QUEUE)?.dead_letter_queue).toBe(DEAD_LETTER_QUEUE);
  expect(webhooks?.producers?.map((p) => p.queue)).toEqual([EVENTS_QUEUE]);
  expect(webhooks?.consumers ?? []).toEqual([]);
  // An instance deployed before the move has the webhooks worker as their consumer: deploy removes it first.
  for (const { queue, from } of MOVED_CONSUMERS) {
    expect(router?.consumers?.map((c) => c.queue)).toContain(queue);
    const consumers = DEPLOY_ORDER.filter(({ config }) =>
      raw(config).queues?.consumers?.some((c) => c.queue === queue),
    );
    expect(consumers.map(({ config }) => raw(config).name)).toEqual(["waddlebot-router"]);
    expect(from).not.toBe("waddlebot-router");
  }
});

it("gives the first deploy's webhooks placeholder the real worker's Durable Object classes and migrations", () => {
  const real = raw("workers/webhooks/wrangler.toml");
  const placeholder = raw("workers/webhooks/placeholder/wrangler.toml");
  expect(placeholder.name).toBe(real.name);
  expect(placeholder.migrations).toEqual(real.migrations);
  const source = readFileSync(path.join(ROOT, "workers/webhooks/placeholder/index.ts"), "utf8");
  const classes = (real.migrations ?? []).flatMap((m) => m.new_sqlite_classes ?? []);
  for (const name of classes) expect(source).toMatch(new RegExp(`export class ${name} extends DurableObject`));
  // Every class another worker binds in this one (the router's OUTBOX) is among them.
  const bound = DEPLOY_ORDER.flatMap(({ config }) => raw(config).durable_objects?.bindings ?? [])
    .filter((b) => b.script_name === real.name)
    .map((b) => b.class_name);
  expect(bound).toContain("Outbox");
  for (const name of bound) expect(classes).toContain(name);
});
