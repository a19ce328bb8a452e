/**
 * Overlay fan-out: one publish (POST /api/v1/communities/{id}/overlays/ticker/messages) to
 * 1,000 WebSockets in one room, delivery time per socket (p50/p99) from just before the POST
 * to each socket's receipt, against a baseline in the same run (the same publish to 1 socket).
 * Then a bounded probe: how many sockets one room holds while a publish still reaches them all
 * quickly (step 1k, 2k, 4k, … until ~60 s, a failed connect, or p99 over 1 s).
 *
 * Runs the whole system locally (startLocal, temp state, free ports); loopback only. The
 * sockets are Node 22's WebSocket client in this one process, so client-side handling of
 * the frames is part of every number here.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { displayPrefix, generateApiKey, hashApiKey } from "../lib/auth/api-keys.ts";
import { startLocal } from "../scripts/local.ts";
import { seedDemo } from "../scripts/seed.ts";
import { makeTestVars } from "../test/support/test-vars.ts";

const FANOUT = 1_000;
const BASELINE_RUNS = 20;
const FANOUT_RUNS = 5;
const PROBE_BUDGET_MS = 60_000;
const PROBE_MAX_SOCKETS = 16_000;
const RESPONSIVE_P99_MS = 1_000;

const dir = mkdtempSync(path.join(tmpdir(), "waddlebot-bench-overlays-"));
const vars = makeTestVars();
const system = await startLocal({
  ports: { router: 0, webhooks: 0, identity: 0 },
  persistDir: path.join(dir, "state"),
  buildDir: path.join(dir, "build"),
  vars,
});

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

try {
  const db = await system.mf.getD1Database("DB", "waddlebot-router");
  const { adminUserId, communityId } = await seedDemo(db, vars);
  const key = generateApiKey();
  await db
    .prepare("INSERT INTO api_keys (id, user_id, name, prefix, key_hash, created_at) VALUES (?, ?, 'bench', ?, ?, ?)")
    .bind(crypto.randomUUID(), adminUserId, displayPrefix(key), await hashApiKey(key), Date.now())
    .run();
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const base = `${system.urls.router}/api/v1/communities/${communityId}/overlays`;
  const list = (await (await fetch(base, { headers })).json()) as { data: { type: string; url: string }[] };
  const wsUrl = `${list.data.find((s) => s.type === "ticker")!.url.replace(/^http/, "ws")}/ws`;

  /** Every open socket, and what each is waiting for. */
  const sockets: WebSocket[] = [];
  let expected = -1;
  let t0 = 0;
  let arrivals: number[] = [];
  /** Receipt time minus the frame's `at` (the room's clock when it took the publish): fan-out alone. */
  let fromRoom: number[] = [];
  let onAllArrived: (() => void) | null = null;

  async function openSockets(n: number): Promise<void> {
    const batch = 200;
    for (let i = 0; i < n; i += batch) {
      await Promise.all(
        Array.from({ length: Math.min(batch, n - i) }, async () => {
          const ws = new WebSocket(wsUrl);
          await new Promise<void>((resolve, reject) => {
            ws.addEventListener("message", function hello() {
              ws.removeEventListener("message", hello);
              resolve();
            });
            ws.addEventListener("error", () => reject(new Error("connect failed")), { once: true });
          });
          ws.addEventListener("message", (e) => {
            if (typeof e.data !== "string" || !e.data.includes(`"seq":${expected},`)) return;
            arrivals.push(performance.now() - t0);
            fromRoom.push(Date.now() - Number(/"at":(\d+)/.exec(e.data)?.[1] ?? Date.now()));
            if (arrivals.length === sockets.length) onAllArrived?.();
          });
          sockets.push(ws);
        }),
      );
    }
  }

  /** One publish; resolves with every socket's delivery time and the POST's own latency. */
  async function publishOnce(): Promise<{ delivery: number[]; room: number[]; post: number }> {
    arrivals = [];
    fromRoom = [];
    const done = new Promise<void>((resolve, reject) => {
      onAllArrived = resolve;
      setTimeout(() => reject(new Error(`only ${arrivals.length}/${sockets.length} delivered in 15 s`)), 15_000);
    });
    t0 = performance.now();
    const res = await fetch(`${base}/ticker/messages`, {
      method: "POST",
      headers,
      body: JSON.stringify({ text: "bench" }),
    });
    const post = performance.now() - t0;
    const body = (await res.json()) as { data: { seq: number; delivered: number } };
    if (body.data.seq !== expected) throw new Error(`expected seq ${expected}, the room gave ${body.data.seq}`);
    await done.catch(async () => {
      throw new Error(`status ${res.status}, delivered ${body.data.delivered}/${sockets.length}`);
    });
    return { delivery: arrivals, room: fromRoom, post };
  }

  // Frames are matched by seq, and they can arrive before the POST answers: the room numbers
  // messages 1, 2, 3, … so the next one is known in advance (and checked against the answer).
  let nextSeq = 1;
  async function measure(runs: number) {
    const delivery: number[] = [];
    const room: number[] = [];
    const posts: number[] = [];
    for (let i = 0; i < runs; i++) {
      expected = nextSeq++;
      const r = await publishOnce();
      delivery.push(...r.delivery);
      room.push(...r.room);
      posts.push(r.post);
    }
    return { delivery, room, posts };
  }

  await openSockets(1);
  await measure(3); // warm-up: isolates, the room, the D1 statements
  const baseline = await measure(BASELINE_RUNS);
  await openSockets(FANOUT - 1);
  await measure(1);
  const fanout = await measure(FANOUT_RUNS);
  const b50 = pct(baseline.delivery, 50);
  const b99 = pct(baseline.delivery, 99);
  const f50 = pct(fanout.delivery, 50);
  const f99 = pct(fanout.delivery, 99);
  console.log(`baseline: 1 socket,   ${BASELINE_RUNS} publishes: delivery p50 ${ms(b50)}  p99 ${ms(b99)}`);
  console.log(
    `fan-out:  ${FANOUT} sockets, ${FANOUT_RUNS} publishes (${fanout.delivery.length} deliveries): ` +
      `p50 ${ms(f50)}  p99 ${ms(f99)}  max ${ms(Math.max(...fanout.delivery))}  (POST answered p50 ${ms(pct(fanout.posts, 50))})`,
  );
  console.log(
    `  of which in the room (frame's publish time → receipt, ms clock): baseline p50 ${ms(pct(baseline.room, 50))}, ` +
      `fan-out p50 ${ms(pct(fanout.room, 50))}  p99 ${ms(pct(fanout.room, 99))}`,
  );
  console.log(`ratio vs baseline: p50 ×${(f50 / b50).toFixed(1)}  p99 ×${(f99 / b99).toFixed(1)}`);
  console.log(`target p99 ≤ 100 ms: ${f99 <= 100 ? "met" : "NOT met"}`);

  // Probe: how many sockets one room holds while staying responsive.
  const started = performance.now();
  let held = sockets.length;
  let step = FANOUT * 2;
  console.log("probe (one room, 3 publishes per step):");
  while (step <= PROBE_MAX_SOCKETS && performance.now() - started < PROBE_BUDGET_MS) {
    try {
      await openSockets(step - sockets.length);
    } catch (err) {
      console.log(`  ${step}: stopped: ${(err as Error).message} at ${sockets.length} sockets`);
      break;
    }
    let r: Awaited<ReturnType<typeof measure>>;
    try {
      r = await measure(3);
    } catch (err) {
      console.log(`  ${step}: stopped: ${(err as Error).message}`);
      break;
    }
    const p99 = pct(r.delivery, 99);
    console.log(
      `  ${String(sockets.length).padStart(6)} sockets: delivery p50 ${ms(pct(r.delivery, 50))}  p99 ${ms(p99)}  ` +
        `room p99 ${ms(pct(r.room, 99))}  POST p50 ${ms(pct(r.posts, 50))}`,
    );
    if (p99 > RESPONSIVE_P99_MS) break;
    held = sockets.length;
    step *= 2;
  }
  console.log(
    `one room held ${held} sockets with publish p99 ≤ ${RESPONSIVE_P99_MS} ms (probe bounded at ${PROBE_MAX_SOCKETS} sockets / ${PROBE_BUDGET_MS / 1000} s)`,
  );
  for (const ws of sockets) ws.close();
} finally {
  await system.dispose();
  rmSync(dir, { recursive: true, force: true });
}
