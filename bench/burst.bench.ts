/**
 * Burst benchmark (`npm run bench burst`): a burst of signed Twitch EventSub notifications sent
 * to the local system (`scripts/local.ts`, the way `npm start` runs it) as fast as CONCURRENCY
 * connections allow, then a wait until the events queue has drained. It checks at-least-once
 * delivery with exactly-once effects, not speed:
 *
 * - follows (each from its own follower: 10 points each, so 20 would be a duplicated effect),
 * - plain chat lines (routed, moderated, no reply),
 * - a few `!ping`s (one Helix chat reply each, counted at the fake platform),
 * - plus deliberate repeats of some deliveries with the same message id (Twitch's retries).
 *
 * accepted = originals answered 204; processed = originals whose `routed` mark is in D1;
 * lost = accepted − processed after the queue drained; duplicated = followers with more than
 * 10 points plus pings answered more than once; 5xx = any answer ≥ 500. Prints a `BURST {json}`
 * line (kept for scripts that read it) and, last, the same figures as `BENCH {json}` like every
 * bench, with workerd's CPU per event (bench/cpu.ts). Storage is on tmpfs unless `--disk`.
 *
 * Latency, two figures: the acknowledgement (POST → 204: verify, dedupe, enqueue — what Twitch
 * waits for) and end to end (POST sent → the consumer's `routed` mark, written with workerd's
 * clock once the router answered; the same machine clock as Node's). Under a burst the end-to-end
 * figure is mostly the time an event waits in the queue behind the ones sent before it.
 *
 * Knobs: BENCH_EVENTS (default 10000), BENCH_DUPLICATES (share repeated, default 0.02),
 * BENCH_DRAIN_MS (how long to wait for the queue after the last progress, default 30000).
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { startLocal } from "../scripts/local.ts";
import { seedDemo } from "../scripts/seed.ts";
import { twitchHeaders } from "../test/shared/sign.ts";
import { startFakePlatform } from "../test/support/fake-platform.ts";
import { makeTestVars } from "../test/support/test-vars.ts";
import { cpuMs, workerdPids } from "./cpu.ts";
import { agent, CONCURRENCY, pct, post } from "./load.ts";
import { benchWorkDir, printBench } from "./storage.ts";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const DUPLICATES = Number(process.env.BENCH_DUPLICATES ?? 0.02);
const DRAIN_MS = Number(process.env.BENCH_DRAIN_MS ?? 30_000);
// Twitch lets a bot send 20 chat lines per 30 s per channel: more pings would measure the Outbox's wait.
const PINGS = Math.min(20, Math.floor(EVENTS / 100));
const run = `b${Date.now().toString(36)}`;
const round1 = (x: number | undefined) => (x === undefined ? null : Number(x.toFixed(1)));

type Kind = "follow" | "chat" | "ping";
interface Delivery {
  i: number;
  kind: Kind;
  messageId: string;
  body: string;
}

function delivery(i: number, broadcasterId: string): Delivery {
  const kind: Kind = i < PINGS ? "ping" : i % 5 === 0 ? "chat" : "follow";
  const messageId = `${run}-${i}`;
  const user = `${run}u${i}`;
  const subscription = { id: `${run}-sub`, status: "enabled", version: "1", condition: {}, created_at: "" };
  const event =
    kind === "follow"
      ? { user_id: user, user_login: user, user_name: user, broadcaster_user_id: broadcasterId }
      : {
          broadcaster_user_id: broadcasterId,
          chatter_user_id: user,
          chatter_user_login: user,
          message_id: `${messageId}-line`,
          message: { text: kind === "ping" ? "!ping" : `hello from ${user}` },
        };
  const type = kind === "follow" ? "channel.follow" : "channel.chat.message";
  return { i, kind, messageId, body: JSON.stringify({ subscription: { ...subscription, type }, event }) };
}

const { dir: work, storage } = benchWorkDir("waddlebot-burst-");
const fake = await startFakePlatform();
const vars = { ...makeTestVars(), ...fake.bases };
const system = await startLocal({
  ports: { router: 0, webhooks: 0, identity: 0 },
  persistDir: path.join(work, "state"),
  buildDir: path.join(work, "build"),
  vars,
});

try {
  const db = await system.mf.getD1Database("DB", "waddlebot-router");
  await seedDemo(db, vars);
  const url = new URL("/twitch/eventsub", system.urls.webhooks);
  const broadcasterId = vars.DEMO_TWITCH_BROADCASTER_ID!;
  const deliveries = Array.from({ length: EVENTS }, (_, i) => delivery(i, broadcasterId));
  // Every 1/DUPLICATES-th delivery is sent again right after (same message id, fresh signature).
  const every = DUPLICATES > 0 ? Math.max(1, Math.round(1 / DUPLICATES)) : 0;
  const plan = deliveries.flatMap((d) => (every && d.i % every === every - 1 ? [d, { ...d, repeat: true }] : [d]));

  const statuses = new Map<number, number>();
  /** Message id → wall-clock ms its first delivery was sent; and every 204's answer time. */
  const sentAt = new Map<string, number>();
  const ackMs: number[] = [];
  let accepted = 0;
  let next = 0;
  const pids = workerdPids();
  const cpuStart = cpuMs(pids);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < plan.length) {
        const d = plan[next++]!;
        const headers = await twitchHeaders(vars.TWITCH_EVENTSUB_SECRET!, d.body, { messageId: d.messageId });
        let status: number;
        const t0 = performance.now();
        if (!("repeat" in d)) sentAt.set(d.messageId, performance.timeOrigin + t0);
        try {
          status = (await post(url, d.body, headers)).status;
        } catch {
          status = 0;
        }
        if (status === 204) ackMs.push(performance.now() - t0);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === 204 && !("repeat" in d)) accepted++;
      }
    }),
  );
  const sendSeconds = (performance.now() - started) / 1000;

  const count = async (sql: string, ...args: unknown[]) =>
    (
      await db
        .prepare(sql)
        .bind(...args)
        .first<{ n: number }>()
    )?.n ?? 0;
  const processedNow = () =>
    count("SELECT count(*) AS n FROM ingress_effects WHERE event_key LIKE ? AND effect = 'routed'", `twitch:${run}-%`);
  let processed = await processedNow();
  let lastProgress = performance.now();
  while (processed < accepted && performance.now() - lastProgress < DRAIN_MS) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await processedNow();
    if (now > processed) lastProgress = performance.now();
    processed = now;
  }
  const drainSeconds = (performance.now() - started) / 1000;
  // Sending and draining: webhooks (verify, dedupe, enqueue), the queue and the router, per event.
  const cpuUsPerEvent = pids.length && processed ? Math.round(((cpuMs(pids) - cpuStart) * 1000) / processed) : null;

  const routedAt = await db
    .prepare("SELECT event_key AS k, created_at AS t FROM ingress_effects WHERE event_key LIKE ? AND effect = 'routed'")
    .bind(`twitch:${run}-%`)
    .all<{ k: string; t: number }>();
  const endToEnd = routedAt.results
    .map((r) => r.t - (sentAt.get(r.k.slice("twitch:".length)) ?? Number.NaN))
    .filter((x) => Number.isFinite(x))
    .sort((a, b) => a - b);
  ackMs.sort((a, b) => a - b);
  const latency = {
    ack_p50_ms: round1(pct(ackMs, 50)),
    ack_p99_ms: round1(pct(ackMs, 99)),
    p50_ms: round1(pct(endToEnd, 50)),
    p99_ms: round1(pct(endToEnd, 99)),
  };

  const follows = deliveries.filter((d) => d.kind === "follow").length;
  const points = async (op: string) =>
    count(
      `SELECT count(*) AS n FROM community_members m JOIN user_identities i ON i.user_id = m.user_id
       WHERE i.platform = 'twitch' AND i.platform_user_id LIKE ? AND m.points ${op} 10`,
      `${run}u%`,
    );
  const [pointsOnce, pointsTwice] = [await points("="), await points(">")];
  // Replies go out through the channel's Outbox; give the last of them a moment to leave.
  const replyDeadline = performance.now() + 10_000;
  const replies = () => fake.requests.filter((r) => r.path.startsWith("/helix/chat/messages"));
  while (
    new Set(replies().map((r) => (r.body as { reply_parent_message_id?: string }).reply_parent_message_id)).size <
      PINGS &&
    performance.now() < replyDeadline
  ) {
    await new Promise((r) => setTimeout(r, 250));
  }
  const perPing = new Map<string, number>();
  for (const r of replies()) {
    const parent = String((r.body as { reply_parent_message_id?: string }).reply_parent_message_id);
    perPing.set(parent, (perPing.get(parent) ?? 0) + 1);
  }
  const repliesTwice = [...perPing.values()].filter((n) => n > 1).length;

  const fivexx = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
  const result = {
    events: EVENTS,
    deliveries: plan.length,
    repeats: plan.length - EVENTS,
    accepted,
    processed,
    lost: accepted - processed,
    duplicated: pointsTwice + repliesTwice,
    "5xx": fivexx,
    failedRequests: statuses.get(0) ?? 0,
    pointsAwardedOnce: `${pointsOnce}/${follows}`,
    pingsAnswered: `${perPing.size}/${PINGS}`,
    acceptedPerSecond: Math.round(plan.length / sendSeconds),
    processedPerSecond: Math.round(processed / drainSeconds),
    statuses: Object.fromEntries(statuses),
  };
  console.log(
    `sent ${plan.length} deliveries (${result.repeats} repeats) in ${sendSeconds.toFixed(1)} s over ${CONCURRENCY} connections`,
  );
  console.log(
    `accepted ${accepted}, processed ${processed}, lost ${result.lost}, duplicated effects ${result.duplicated}, 5xx ${fivexx}`,
  );
  console.log(
    `points awarded once: ${result.pointsAwardedOnce}; pings answered: ${result.pingsAnswered}; drained after ${drainSeconds.toFixed(1)} s`,
  );
  console.log(
    `acknowledged (POST → 204) p50 ${latency.ack_p50_ms} ms, p99 ${latency.ack_p99_ms} ms; ` +
      `end to end (POST → routed) p50 ${latency.p50_ms} ms, p99 ${latency.p99_ms} ms`,
  );
  console.log(`workerd CPU per processed event (process, all isolates, send + drain): ${cpuUsPerEvent} µs`);
  console.log(`BURST ${JSON.stringify(result)}`);
  printBench("burst", {
    storage,
    events_per_s: result.processedPerSecond,
    ...result,
    duplicates: result.duplicated,
    ...latency,
    cpu_us_per_event: cpuUsPerEvent,
  });
  // Not a speed verdict: a lost event, a duplicated effect or a 5xx is a broken guarantee.
  if (result.lost !== 0 || result.duplicated !== 0 || fivexx !== 0) process.exitCode = 1;
} finally {
  agent.destroy();
  await system.dispose();
  await fake.close();
  rmSync(work, { recursive: true, force: true });
}
