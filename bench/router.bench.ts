/**
 * Router benchmark (`npm run bench`): chat-command events through the router's full path —
 * RPC handleEvent → community (cached) → moderation → parse → command lookup (cached) →
 * permission → rate limit (RateLimiter Durable Object) → built-in `!ping` → reply, with the
 * execution audit written after the reply — side by side with a bare hello-world Worker in
 * the same workerd, driven by the same Node load loop over loopback.
 *
 * The router is reached the two ways production reaches it. Synchronous events (Discord
 * interactions, Slack commands): a small driver Worker turns each HTTP request into an RPC
 * `handleEvent` call over a service binding, as the webhooks worker does after verifying a
 * platform's signature. Queued events (EventSub, Slack events, relay events; most chat): the
 * router's own bundle calls `handleEvent` in its own isolate, as its events-queue consumer does
 * (`bench-in-process`). Numbers are local and relative: what matters is the ratio to the bare
 * Worker measured in the same run, not the absolute events/s.
 * A plain chat line (community, moderation, parse; no command) is measured too: the difference
 * between the two rows is the rate-limit Durable Object's durable write and the (batched) audit.
 * The RateLimiter is also driven alone — a bare round trip (ping) and one hit (one durable
 * SQLite write, which the output gate holds the answer for) — so every run shows what the one
 * confirmed write per command costs in this runtime: the ceiling of any design that keeps it.
 *
 * Local D1 and Durable Object storage is on tmpfs (`/dev/shm`) unless `--disk` is given
 * (`npm run bench -- router --disk`): on disk each commit is a device flush on workerd's thread.
 * Two floor rows say what any design pays before the router runs a line: the driver alone (its
 * JSON parse, no hop) and the driver's hop to a router method that does nothing (`ping`).
 * Rows are measured in interleaved rounds (bench/rounds.ts), so load from other processes on a
 * shared machine falls on every row alike; throughput is the median round.
 * CPU per event is workerd's process CPU (all isolates and the runtime, from /proc) over the
 * throughput phases divided by their events; see bench/cpu.ts. The last line is `BENCH {json}`.
 *
 * Knobs: BENCH_USERS (distinct chatters, default 500); `--profile` also writes CPU profiles of the
 * router isolate under !ping and under chat lines (bench/profile.ts) and prints their top self times.
 */
import { rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare } from "miniflare";
import { applyMigrations, miniflareWorker, WORKERS } from "../scripts/local.ts";
import { workerdPids } from "./cpu.ts";
import { agent, CONCURRENCY, pct, post, throughput } from "./load.ts";
import { cachedLookupNs } from "./lookup.ts";
import { freePort, profileIsolate } from "./profile.ts";
import { interleaved, type RowFigures } from "./rounds.ts";
import { benchWorkDir, printBench } from "./storage.ts";

const WARMUP_MS = 2_000;
const ROUNDS = 3;
const PHASE_MS = 2_000;
const LATENCY_REQUESTS = 1_000;
const USERS = Number(process.env.BENCH_USERS ?? 500);
const COMMUNITY_ID = "00000000-0000-4000-8000-00000000be01";
const GUILD_ID = "100000000000000777";

const { dir: work, storage } = benchWorkDir("waddlebot-bench-");
// `npm run bench -- router --profile`: CPU profiles of the router isolate under !ping and chat lines.
const inspectorPort = process.argv.includes("--profile") ? await freePort() : undefined;
const host = "127.0.0.1";

const compat = { compatibilityDate: "2026-08-01", compatibilityFlags: ["nodejs_compat"], modules: true };
const bare = {
  ...compat,
  name: "bench-bare",
  script: `export default { async fetch(req) { await req.text(); return new Response("hello world"); } }`,
  unsafeDirectSockets: [{ host, port: 0 }],
};
const driver = {
  ...compat,
  name: "bench-driver",
  // As the webhooks worker calls it: the community it already resolved is passed on, and the RPC
  // result is released at once (workerd warns about results left to the garbage collector).
  // "/floor" makes the same hop to a router method that does nothing (ping): what any path through
  // one RPC costs here before the router runs a line of its own; "/alone" makes no hop at all.
  script: `export default { async fetch(req, env) {
    const event = await req.json();
    const path = new URL(req.url).pathname;
    if (path === "/alone") return new Response(JSON.stringify({ status: "ignored", replies: [] }));
    const out = path === "/floor" ? { text: await env.ROUTER.ping() } : await env.ROUTER.handleEvent(event, { communityId: env.COMMUNITY_ID });
    const body = JSON.stringify(out);
    out[Symbol.dispose]?.();
    return new Response(body, { headers: { "content-type": "application/json" } });
  } }`,
  bindings: { COMMUNITY_ID },
  // Bound as the webhooks worker binds it (workers/webhooks/wrangler.toml): the named entrypoint.
  serviceBindings: { ROUTER: { name: "waddlebot-router", entrypoint: "RouterEntrypoint" } },
  unsafeDirectSockets: [{ host, port: 0 }],
};

// The RateLimiter alone, sharded and keyed the way the router does it (32 objects, a bucket per user).
const limiterAlone = {
  ...compat,
  name: "bench-limiter",
  script: `let n = 0;
    export default { async fetch(req, env) {
      await req.text();
      const i = n++, user = i % ${USERS};
      const stub = env.RL.get(env.RL.idFromName("bench:users:" + (user % 32)));
      if (new URL(req.url).pathname === "/ping") await stub.ping();
      else await stub.hit([{ bucket: "discord:user-" + user + ":!ping:rate", limit: 10000, windowMs: 60000 }]);
      return new Response("ok");
    } }`,
  durableObjects: { RL: { className: "RateLimiter", scriptName: "waddlebot-router" } },
  unsafeDirectSockets: [{ host, port: 0 }],
};

/**
 * The router's own bundle, with its bindings and its Durable Objects (the router's instances, by
 * script name), behind a fetch that calls RouterEntrypoint.handleEvent in the same isolate: the
 * router's code with no service-binding hop, as its events-queue consumer runs it (events/consume.ts
 * calls the same handleEvent in the router's isolate; it is invoked once per queue batch of up to
 * 50, this once per event, so the row is on the safe side).
 */
function inProcessRouter(router: Awaited<ReturnType<typeof miniflareWorker>>) {
  const {
    workflows: _w,
    queueConsumers: _q,
    assets: _a,
    durableObjects,
    ...rest
  } = router as typeof router & {
    workflows?: unknown;
    queueConsumers?: unknown;
    assets?: unknown;
    durableObjects?: Record<string, string | { className: string; scriptName?: string }>;
  };
  const wrapper = path.join(router.modulesRoot, "bench-in-process.js");
  writeFileSync(
    wrapper,
    `import { RouterEntrypoint } from "./index.js";
    export * from "./index.js";
    export default { async fetch(req, env, ctx) {
      const event = await req.json();
      const out = await new RouterEntrypoint(ctx, env).handleEvent(event, { communityId: ${JSON.stringify(COMMUNITY_ID)} });
      return new Response(JSON.stringify(out), { headers: { "content-type": "application/json" } });
    } }`,
  );
  return {
    ...rest,
    name: "bench-in-process",
    scriptPath: undefined,
    // Both modules named: with a script path alone Miniflare loads only the entry module.
    modules: [
      { type: "ESModule", path: wrapper },
      { type: "ESModule", path: router.scriptPath },
    ],
    durableObjects: Object.fromEntries(
      Object.entries(durableObjects ?? {}).map(([binding, d]) => [
        binding,
        // The router's own instances; a class of another worker (the webhooks worker's Outbox) stays there.
        typeof d === "string"
          ? { className: d, scriptName: router.name }
          : { className: d.className, scriptName: d.scriptName ?? router.name },
      ]),
    ),
    unsafeDirectSockets: [{ host, port: 0 }],
  };
}

let seq = 0;
function pingEvent(text = "!ping"): string {
  const n = seq++;
  return JSON.stringify({
    id: `bench-${n}`,
    platform: "discord",
    type: "message",
    communityPlatformId: GUILD_ID,
    channel: { id: "c1", name: "general" },
    user: { id: `user-${n % USERS}`, username: `user${n % USERS}`, roles: [], badges: [] },
    text,
    data: {},
    reply: { kind: "discord_channel", channelId: "c1" },
    receivedAt: new Date().toISOString(),
  });
}

const products = await Promise.all(WORKERS.map((w) => miniflareWorker(w.config, path.join(work, "build", w.key), {})));
const mf = new Miniflare(
  convertV4MiniflareOptions({
    workers: [
      // The four workers as `npm start` runs them (the router binds webhooks' DELIVERY/OUTBOX and MODULES).
      ...products,
      bare,
      driver,
      limiterAlone,
      inProcessRouter(products[WORKERS.findIndex((w) => w.key === "router")]!),
    ],
    // Explicit, so the storage is where the run says it is (tmpfs or disk), not Miniflare's default.
    resourcePersistencePath: path.join(work, "state"),
    cf: false,
    ...(inspectorPort ? { inspectorPort } : {}),
    log: new Log(LogLevel.WARN),
  } as never),
);
try {
  await mf.ready;
  const db = await mf.getD1Database("DB", "waddlebot-router");
  await applyMigrations(db);
  const now = Date.now();
  await db.batch([
    db
      .prepare(
        "INSERT INTO communities (id, slug, name, settings, is_active, created_at, updated_at) VALUES (?, 'bench', 'Bench', '{}', 1, ?, ?)",
      )
      .bind(COMMUNITY_ID, now, now),
    db
      .prepare(
        "INSERT INTO community_platforms (id, community_id, platform, platform_id, status, created_at) VALUES (?, ?, 'discord', ?, 'active', ?)",
      )
      .bind(crypto.randomUUID(), COMMUNITY_ID, GUILD_ID, now),
    // A bench sends far more than 60 commands a minute per user; every one must run the whole path.
    db
      .prepare(
        "INSERT INTO router_settings (community_id, user_command_limit, user_command_window_sec, updated_at) VALUES (?, 10000, 60, ?)",
      )
      .bind(COMMUNITY_ID, now),
  ]);
  const bareUrl = await mf.unsafeGetDirectURL("bench-bare");
  const routerUrl = await mf.unsafeGetDirectURL("bench-driver");
  const floorUrl = new URL("/floor", routerUrl);
  const aloneUrl = new URL("/alone", routerUrl);
  const limiterBase = await mf.unsafeGetDirectURL("bench-limiter");
  const doPingUrl = new URL("/ping", limiterBase);
  const doHitUrl = new URL("/hit", limiterBase);
  const inProcessUrl = await mf.unsafeGetDirectURL("bench-in-process");

  const first = JSON.parse((await post(routerUrl, pingEvent())).text);
  const firstInProcess = JSON.parse((await post(inProcessUrl, pingEvent())).text);
  for (const got of [first, firstInProcess])
    if (got.status !== "processed" || got.replies?.[0]?.text !== "pong")
      throw new Error(`unexpected: ${JSON.stringify(got)}`);

  const hello = () => "{}";
  const chatLine = () => pingEvent("just chatting, no command");
  await throughput(bareUrl, hello, WARMUP_MS);
  await throughput(routerUrl, pingEvent, WARMUP_MS);
  await throughput(doHitUrl, hello, WARMUP_MS / 2);
  const m = await interleaved(
    {
      bare: { url: bareUrl, body: hello },
      ping: { url: routerUrl, body: pingEvent },
      chat: { url: routerUrl, body: chatLine },
      floor: { url: floorUrl, body: chatLine },
      alone: { url: aloneUrl, body: chatLine },
      doPing: { url: doPingUrl, body: hello },
      doHit: { url: doHitUrl, body: hello },
      inPing: { url: inProcessUrl, body: pingEvent },
      inChat: { url: inProcessUrl, body: chatLine },
    },
    { rounds: ROUNDS, phaseMs: PHASE_MS, requests: LATENCY_REQUESTS, pids: workerdPids() },
  );
  const lookupNs = await cachedLookupNs(work, COMMUNITY_ID);
  if (inspectorPort) {
    for (const [name, body] of [
      ["ping", pingEvent],
      ["chat", chatLine],
    ] as const) {
      const file = path.join(tmpdir(), `waddlebot-router-${name}-${Date.now()}.cpuprofile`);
      await profileIsolate(inspectorPort, "waddlebot-router", file, () => throughput(routerUrl, body, 5_000));
    }
  }

  const f = (n: number, d = 2) => n.toFixed(d);
  const cpu = (r: RowFigures) => (r.cpuUs === null ? null : Math.round(r.cpuUs));
  const ratio = (r: RowFigures) => r.rps / m.bare.rps;
  const lat = (r: RowFigures) => `p50 ${f(pct(r.lat, 50))} ms, p99 ${f(pct(r.lat, 99))} ms`;
  const addedMs = (r: RowFigures, p: number) => pct(r.lat, p) - pct(m.bare.lat, p);
  const added = (r: RowFigures) => `p50 +${f(addedMs(r, 50))} ms, p99 +${f(addedMs(r, 99))} ms`;
  console.log(
    `load: ${CONCURRENCY} concurrent connections, ${ROUNDS} interleaved rounds of ${PHASE_MS / 1000} s per row (median), loopback, one workerd, ${USERS} chat users`,
  );
  console.log(`local storage (D1, Durable Objects): ${storage}, under ${work}`);
  console.log(`bare hello-world Worker:                 ${f(m.bare.rps, 0)} req/s`);
  console.log("synchronous path (Discord interactions, Slack commands: webhooks -> router over the service binding):");
  console.log(`router, !ping full path:                 ${f(m.ping.rps, 0)} events/s`);
  console.log(`router, chat line (no command):          ${f(m.chat.rps, 0)} events/s`);
  console.log(`ratio router(!ping)/bare:                ${f(ratio(m.ping))} (target >= 0.5)`);
  console.log(`ratio router(chat line)/bare:            ${f(ratio(m.chat))} (target >= 0.8)`);
  console.log(
    `latency one at a time (${LATENCY_REQUESTS} each): bare ${lat(m.bare)}; !ping ${lat(m.ping)}; chat ${lat(m.chat)}`,
  );
  console.log(`added over bare, !ping:                  ${added(m.ping)} (target p99 <= 5 ms)`);
  console.log(`added over bare, chat line:              ${added(m.chat)} (target p99 <= 5 ms)`);
  console.log(`driver alone (parse, no hop):            ${f(m.alone.rps, 0)} req/s (${f(ratio(m.alone))}×)`);
  console.log(
    `driver -> router.ping() (one RPC hop):   ${f(m.floor.rps, 0)} req/s (${f(ratio(m.floor))}×); ${added(m.floor)}`,
  );
  console.log(
    `against the one-hop floor:               !ping ${f(m.ping.rps / m.floor.rps)}×, chat line ${f(m.chat.rps / m.floor.rps)}×`,
  );
  console.log(
    "queued path (EventSub, Slack events, relay: the router's queue consumer routes in its own isolate, no hop):",
  );
  console.log(
    `router, !ping / chat line in the router's isolate: ${f(m.inPing.rps, 0)} events/s (${f(ratio(m.inPing))}×, target >= 0.5), ` +
      `${f(m.inChat.rps, 0)} events/s (${f(ratio(m.inChat))}×, target >= 0.8); added p99 !ping +${f(addedMs(m.inPing, 99))} ms, chat +${f(addedMs(m.inChat, 99))} ms`,
  );
  console.log(`RateLimiter alone, round trip (ping):     ${f(m.doPing.rps, 0)} req/s; ${lat(m.doPing)}`);
  console.log(`RateLimiter alone, one hit (1 write):     ${f(m.doHit.rps, 0)} req/s; ${lat(m.doHit)}`);
  console.log(
    `ratio limiter hit alone/bare:            ${f(ratio(m.doHit))} (the ceiling with one confirmed write per command)`,
  );
  console.log(`cached command lookup (500 commands):    ${f(lookupNs / 1000, 3)} µs per lookup (target < 1 ms)`);
  console.log(
    `workerd CPU per event (process, all isolates): bare ${cpu(m.bare)} µs; !ping ${cpu(m.ping)} µs; chat ${cpu(m.chat)} µs; driver alone ${cpu(m.alone)} µs; one hop ${cpu(m.floor)} µs; no hop: !ping ${cpu(m.inPing)} µs, chat ${cpu(m.inChat)} µs`,
  );
  const round = (n: number, d = 2) => Number(n.toFixed(d));
  printBench("router", {
    storage,
    concurrency: CONCURRENCY,
    rounds: ROUNDS,
    bare_rps: Math.round(m.bare.rps),
    ping_eps: Math.round(m.ping.rps),
    chat_eps: Math.round(m.chat.rps),
    ping_ratio: round(ratio(m.ping)),
    chat_ratio: round(ratio(m.chat)),
    ping_p99_added_ms: round(addedMs(m.ping, 99)),
    chat_p99_added_ms: round(addedMs(m.chat, 99)),
    ping_p50_added_ms: round(addedMs(m.ping, 50)),
    chat_p50_added_ms: round(addedMs(m.chat, 50)),
    bare_cpu_us_per_req: cpu(m.bare),
    ping_cpu_us_per_event: cpu(m.ping),
    chat_cpu_us_per_event: cpu(m.chat),
    driver_alone_ratio: round(ratio(m.alone)),
    driver_alone_cpu_us: cpu(m.alone),
    rpc_floor_ratio: round(ratio(m.floor)),
    rpc_floor_p99_added_ms: round(addedMs(m.floor, 99)),
    rpc_floor_cpu_us_per_event: cpu(m.floor),
    // The router's own share: the full path against the one hop any design through a service binding pays.
    ping_to_floor_ratio: round(m.ping.rps / m.floor.rps),
    chat_to_floor_ratio: round(m.chat.rps / m.floor.rps),
    // The same router code with no hop: the queued path (events/consume.ts routes in the router's isolate).
    queued_ping_ratio: round(ratio(m.inPing)),
    queued_chat_ratio: round(ratio(m.inChat)),
    queued_ping_p99_added_ms: round(addedMs(m.inPing, 99)),
    queued_chat_p99_added_ms: round(addedMs(m.inChat, 99)),
    in_process_ping_ratio: round(ratio(m.inPing)),
    in_process_chat_ratio: round(ratio(m.inChat)),
    in_process_ping_cpu_us: cpu(m.inPing),
    in_process_chat_cpu_us: cpu(m.inChat),
    limiter_ping_rps: Math.round(m.doPing.rps),
    limiter_hit_rps: Math.round(m.doHit.rps),
    lookup_us: round(lookupNs / 1000, 3),
  });
} finally {
  agent.destroy();
  await mf.dispose();
  // A profile's line numbers point into the bundles: keep them to read it.
  if (inspectorPort) console.log(`bundles kept for the profiles: ${path.join(work, "build")}`);
  else rmSync(work, { recursive: true, force: true });
}
