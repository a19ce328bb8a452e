/**
 * Workflows benchmark (`npm run bench -- workflows`): signed calls to a workflow webhook on the
 * local system (`scripts/local.ts`, as `npm start` runs it), each starting one Cloudflare
 * Workflows instance whose first action is an HTTP call to a local server here. Reports:
 *
 * - started/s: webhook calls answered 202 (an execution row and an instance created) per second
 *   at CONCURRENCY connections;
 * - completed/s: instances whose first action reached the local server, per second of the whole
 *   burst (start of the first call → last action seen);
 * - trigger → first action p50/p99: from sending the webhook call to the action's arrival.
 *
 * Knobs: BENCH_RUNS (default 300). Storage on tmpfs unless `--disk`. Last line `BENCH {json}`.
 */
import { rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { hmacSha256Hex } from "../lib/crypto/hmac.ts";
import { sealContext } from "../lib/crypto/sealed-columns.ts";
import { seal } from "../lib/crypto/secret-box.ts";
import { startLocal } from "../scripts/local.ts";
import { seedDemo } from "../scripts/seed.ts";
import { startFakePlatform } from "../test/support/fake-platform.ts";
import { makeTestVars } from "../test/support/test-vars.ts";
import { CONCURRENCY, pct, post } from "./load.ts";
import { benchWorkDir, printBench } from "./storage.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 300);

// The first action of every run lands here; its body carries the run's send time.
const arrivals = new Map<number, number>();
const sink = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const at = performance.now();
    const { i } = JSON.parse(Buffer.concat(chunks).toString() || "{}") as { i?: number };
    if (typeof i === "number" && !arrivals.has(i)) arrivals.set(i, at);
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});
// workerd keeps its connections to the sink open and reuses them; Node closes one that has been
// idle for keepAliveTimeout (5 s by default), and a request workerd sends on it at that moment
// fails as "the endpoint could not be reached" — with `retries: 0`, a lost run that was the
// bench's server, not the product. Idle connections stay open for the whole bench instead.
sink.keepAliveTimeout = 10 * 60_000;
await new Promise<void>((r) => sink.listen(0, "127.0.0.1", r));
const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/first-action`;

const { dir: work, storage } = benchWorkDir("waddlebot-workflows-");
const fake = await startFakePlatform();
const vars = { ...makeTestVars(), ...fake.bases };
const system = await startLocal({
  // Every worker on a free port (the modules worker too): other systems may run on this machine.
  ports: { router: 0, webhooks: 0, identity: 0, modules: 0 },
  persistDir: path.join(work, "state"),
  buildDir: path.join(work, "build"),
  vars,
});

try {
  const db = await system.mf.getD1Database("DB", "waddlebot-router");
  const { communityId } = await seedDemo(db, vars);
  // A published workflow and its webhook, written as the API writes them (the API's own
  // checks are tested elsewhere; the bench measures the run path).
  const workflowId = crypto.randomUUID();
  const graph = {
    nodes: [
      { id: "t", type: "trigger_webhook", config: {}, position: { x: 0, y: 0 } },
      {
        id: "call",
        type: "action_webhook",
        config: { url: sinkUrl, body: '{"i":{{trigger.body.i}}}', retries: 0 },
        position: { x: 0, y: 100 },
      },
    ],
    edges: [{ id: "e1", source: "t", sourcePort: "out", target: "call" }],
  };
  const now = Date.now();
  await db
    .prepare(
      "INSERT INTO workflows (id, community_id, name, description, status, version, graph, created_at, updated_at) VALUES (?, ?, 'bench', '', 'published', 1, ?, ?, ?)",
    )
    .bind(workflowId, communityId, JSON.stringify(graph), now, now)
    .run();
  await db
    .prepare("INSERT INTO workflow_versions (id, workflow_id, version, graph, created_at) VALUES (?, ?, 1, ?, ?)")
    .bind(crypto.randomUUID(), workflowId, JSON.stringify(graph), now)
    .run();
  const hookId = crypto.randomUUID();
  const token = crypto.randomUUID().replace(/-/g, "");
  const secret = "whsec_bench";
  const sealed = await seal(vars, secret, sealContext({ table: "workflow_webhooks", column: "secret" }, hookId));
  await db
    .prepare(
      "INSERT INTO workflow_webhooks (id, workflow_id, community_id, token, secret, allowed_ips, rate_per_minute, trigger_count, created_at) VALUES (?, ?, ?, ?, ?, '[]', 6000, 0, ?)",
    )
    .bind(hookId, workflowId, communityId, token, sealed, now)
    .run();

  const url = new URL(`/workflows/webhooks/${token}`, system.urls.router);
  const sent = new Map<number, number>();
  const call = async (i: number) => {
    const body = JSON.stringify({ i });
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = `sha256=${await hmacSha256Hex(secret, `${ts}.${body}`)}`;
    sent.set(i, performance.now());
    const res = await post(url, body, { "x-waddlebot-timestamp": ts, "x-waddlebot-signature": signature });
    if (res.status !== 202) throw new Error(`HTTP ${res.status}: ${res.text.slice(0, 200)}`);
  };
  // Warm-up: bundles loaded, first instance created.
  await call(-1);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < RUNS) await call(next++);
    }),
  );
  const accepted = performance.now() - started;
  const deadline = performance.now() + 120_000;
  while (performance.now() < deadline && [...arrivals.keys()].filter((k) => k >= 0).length < RUNS) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const landed = [...arrivals.entries()].filter(([k]) => k >= 0);
  // What happened to runs whose action never arrived: the execution rows say.
  const statuses = await db
    .prepare("SELECT status, count(*) AS n, max(error) AS error FROM workflow_executions GROUP BY status")
    .all<{ status: string; n: number; error: string | null }>();
  const lastAt = Math.max(...landed.map(([, at]) => at));
  const lat = landed.map(([i, at]) => at - sent.get(i)!).sort((a, b) => a - b);
  const figures = {
    storage,
    runs: RUNS,
    concurrency: CONCURRENCY,
    startedPerSec: Math.round(RUNS / (accepted / 1000)),
    completedPerSec: Math.round(landed.length / ((lastAt - started) / 1000)),
    firstActionP50Ms: Math.round(pct(lat, 50)),
    firstActionP99Ms: Math.round(pct(lat, 99)),
    lost: RUNS - landed.length,
    executions: Object.fromEntries(statuses.results.map((r) => [r.status, r.n])),
    lastError: statuses.results.find((r) => r.error)?.error ?? null,
  };
  console.log(
    `workflows: ${figures.startedPerSec} instances started/s, ${figures.completedPerSec} reached their first action/s; trigger → first action p50 ${figures.firstActionP50Ms} ms, p99 ${figures.firstActionP99Ms} ms (${RUNS} runs, ${storage})`,
  );
  printBench("workflows", figures);
} finally {
  await system.dispose();
  await fake.close();
  sink.close();
  rmSync(work, { recursive: true, force: true });
}
