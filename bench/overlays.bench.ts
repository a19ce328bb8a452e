/**
 * Overlay fan-out (`npm run bench -- overlays`): one publish (POST /api/v1/communities/{id}/
 * overlays/ticker/messages) to every ticker page of one community, delivery time per page from
 * just before the POST to each page's receipt, against a baseline in the same run (the same
 * publish to 1 page). Steps 1,000 → 2,500 → 5,000 → 10,000 pages, 5 publishes each; the target is
 * p99 ≤ 300 ms at 10,000 pages.
 *
 * The pages are Node 22 WebSocket clients spread over BENCH_CLIENTS forked processes (default 4;
 * one Node process could not keep up with 10,000 sockets and its frame handling dominated the
 * numbers). Each reports its receive times on the shared wall clock (bench/overlay-clients.ts).
 * The room spreads its sockets over OVERLAY_CHILD_ROOMS child rooms (BENCH_CHILD_ROOMS, default
 * 8; 0 keeps every socket in the one room, as before the fan-out). The pages connect through
 * BENCH_EDGES edge processes (default 2; bench/overlay-edges.ts: the router Worker in workerds of
 * their own, the rooms staying in the main one), because one workerd cannot hold 10,000 sockets
 * here (two file descriptors each, a hard limit of 20,000); 0 connects them to the main router.
 * Runs the whole system locally (startLocal, storage on tmpfs unless --disk, free ports);
 * loopback only. The last line is `BENCH {json}`.
 */
import { rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { displayPrefix, generateApiKey, hashApiKey } from "../lib/auth/api-keys.ts";
import { startLocal } from "../scripts/local.ts";
import { seedDemo } from "../scripts/seed.ts";
import { makeTestVars } from "../test/support/test-vars.ts";
import { cpuMs, openFiles, workerdPids } from "./cpu.ts";
import { type Edge, startEdges } from "./overlay-edges.ts";
import { ClientPool, pct } from "./overlay-pages.ts";
import { benchWorkDir, printBench } from "./storage.ts";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const CHILD_ROOMS = Number(process.env.BENCH_CHILD_ROOMS ?? 8);
/** Edge processes holding the pages' sockets (bench/overlay-edges.ts); 0: the main system holds them. */
const EDGES = Number(process.env.BENCH_EDGES ?? 2);
const TARGET_PAGES = Number(process.env.BENCH_PAGES ?? 10_000);
const CORES = availableParallelism();
const TARGET_P99_MS = 300;
const STEPS = [1_000, 2_500, 5_000, TARGET_PAGES].filter((n, i, all) => n <= TARGET_PAGES && all.indexOf(n) === i);
const BASELINE_RUNS = 20;
const RUNS = 5;
const REPORT_TIMEOUT_MS = 15_000;

const { dir, storage } = benchWorkDir("waddlebot-bench-overlays-");
const vars = { ...makeTestVars(), OVERLAY_CHILD_ROOMS: String(CHILD_ROOMS) };
const system = await startLocal({
  ports: { router: 0, webhooks: 0, identity: 0 },
  persistDir: path.join(dir, "state"),
  buildDir: path.join(dir, "build"),
  vars,
  devRegistryPath: path.join(dir, "registry"),
});
const [mainPid] = workerdPids();

const ms = (x: number) => `${x.toFixed(1)} ms`;
const now = () => performance.timeOrigin + performance.now();
const pool = new ClientPool(CLIENTS);
const { clients } = pool;

let edges: Edge[] = [];
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
  const wsUrl = new URL(`${list.data.find((s) => s.type === "ticker")!.url.replace(/^http/, "ws")}/ws`);
  edges = await startEdges({ count: EDGES, dir, registry: path.join(dir, "registry"), vars, mainDb: db, communityId });
  for (const [i, c] of clients.entries()) {
    const edge = edges[i % Math.max(edges.length, 1)];
    c.url = edge ? new URL(wsUrl.pathname, edge.url.replace(/^http/, "ws")).toString() : wsUrl.toString();
  }
  // The processes that hold the pages' sockets (and bound how many fit), and every workerd.
  const allPids = workerdPids();
  const holders = EDGES > 0 ? allPids.filter((p) => p !== mainPid) : [mainPid!];
  const pages = () => pool.pages();
  const openPages = (n: number) => pool.openPages(n);

  // The room numbers messages 1, 2, 3, …: the next seq is known before the POST answers.
  let nextSeq = 1;
  /** `runs` publishes; every page's delivery time and the room-side part (frame's `at` → receipt). */
  async function measure(runs: number) {
    const delivery: number[] = [];
    const room: number[] = [];
    const posts: number[] = [];
    let clientCpuMs = 0;
    for (let i = 0; i < runs; i++) {
      const seq = nextSeq++;
      const t0 = now();
      const res = await fetch(`${base}/ticker/messages`, { method: "POST", headers, body: '{"text":"bench"}' });
      posts.push(now() - t0);
      const body = (await res.json()) as { data: { seq: number; delivered: number } };
      if (body.data?.seq !== seq) throw new Error(`expected seq ${seq}, got ${JSON.stringify(body)}`);
      const replies = await Promise.all(clients.map((c) => c.ask({ op: "report", seq, timeoutMs: REPORT_TIMEOUT_MS })));
      const times = replies.flatMap((r) => r.times ?? []);
      if (times.length < pages()) throw new Error(`only ${times.length}/${pages()} pages got seq ${seq}`);
      for (const t of times) delivery.push(t - t0);
      for (const r of replies) for (const t of r.times ?? []) room.push(t - r.at!);
      for (const r of replies) clientCpuMs += r.cpuMs ?? 0;
    }
    return { delivery, room, posts, clientCpuMs };
  }

  await openPages(1);
  await measure(3); // warm-up: isolates, the room, the D1 statements
  const baseline = await measure(BASELINE_RUNS);
  const b99 = pct(baseline.delivery, 99);
  console.log(
    `pages on ${CLIENTS} client processes through ${EDGES || "no"} edge processes; the room fans out over ${CHILD_ROOMS} child rooms; storage ${storage}; ` +
      `WebSocket extensions: ${pool.extensions || "none"}`,
  );
  console.log(
    `baseline: 1 page, ${BASELINE_RUNS} publishes: delivery p50 ${ms(pct(baseline.delivery, 50))}  p99 ${ms(b99)}`,
  );
  // The open-file limit of a workerd holding sockets (`ulimit -n`, raised to the hard limit by
  // bench/run.ts) bounds how many pages it can hold; the fullest holder decides.
  const fds = () => {
    const all = holders.map((p) => openFiles(p));
    return all.length
      ? { open: Math.max(...all.map((f) => f.open)), limit: Math.min(...all.map((f) => f.limit)) }
      : null;
  };
  const perHolder = (n: number) => Math.ceil(n / holders.length);
  /**
   * What the machine's CPU allows: one publish to every page costs (workerd + clients) CPU per
   * frame × pages, shared by at most CORES cores, so the last page's delivery cannot come sooner;
   * and the rooms' process (the room and its children, one thread locally) does its part alone.
   */
  const cpuFloor = (step: {
    pages: number;
    cpu_us_per_frame: number | null;
    main_cpu_us_per_frame: number;
    client_cpu_us_per_frame: number;
  }) =>
    step.cpu_us_per_frame === null
      ? null
      : {
          totalMs: ((step.cpu_us_per_frame + step.client_cpu_us_per_frame) * step.pages) / 1000,
          floorMs: ((step.cpu_us_per_frame + step.client_cpu_us_per_frame) * step.pages) / 1000 / CORES,
          roomsMs: (step.main_cpu_us_per_frame * step.pages) / 1000,
          // The measuring clients alone: what the pages' own processes need of the cores per publish,
          // before workerd does anything (in production each page is its own browser elsewhere).
          clientsFloorMs: (step.client_cpu_us_per_frame * step.pages) / 1000 / CORES,
        };
  const fdsAtStart = fds();
  let fdLimited: { limit: number; perPage: number; wanted: number } | null = null;
  const steps: {
    pages: number;
    p50: number;
    p99: number;
    max: number;
    room_p99: number;
    post_p50: number;
    cpu_us_per_frame: number | null;
    main_cpu_us_per_frame: number;
    client_cpu_us_per_frame: number;
  }[] = [];
  for (const wanted of STEPS) {
    let n = wanted;
    const f = fds();
    if (f && fdsAtStart && pages() > 1) {
      const perPage = (f.open - fdsAtStart.open) / Math.max(perHolder(pages()) - 1, 1);
      const fits = (Math.floor((f.limit - 100 - f.open) / perPage) + perHolder(pages())) * holders.length;
      if (fits < n) {
        fdLimited = { limit: f.limit, perPage: Number(perPage.toFixed(2)), wanted };
        n = Math.floor(fits / 100) * 100;
        console.log(
          `workerd: ${f.open} open files at ${perHolder(pages())} pages (${perPage.toFixed(2)} per page), limit ${f.limit}: ` +
            `${wanted} pages do not fit in ${holders.length} workerd here; measuring ${n}`,
        );
        if (n <= pages()) break;
      }
    }
    try {
      const t = now();
      await openPages(n);
      const connectS = (now() - t) / 1000;
      await measure(1);
      const [cpu0, main0] = [cpuMs(allPids), cpuMs([mainPid!])];
      const r = await measure(RUNS);
      // workerd's CPU over the publishes (API, room, children, every send; the edges' relaying)
      // per frame delivered, and the main process's part of it.
      const cpuUsPerFrame = allPids.length ? ((cpuMs(allPids) - cpu0) * 1000) / r.delivery.length : null;
      const mainUsPerFrame = ((cpuMs([mainPid!]) - main0) * 1000) / r.delivery.length;
      const step = {
        pages: pages(),
        p50: pct(r.delivery, 50),
        p99: pct(r.delivery, 99),
        max: Math.max(...r.delivery),
        room_p99: pct(r.room, 99),
        post_p50: pct(r.posts, 50),
        cpu_us_per_frame: cpuUsPerFrame === null ? null : Number(cpuUsPerFrame.toFixed(1)),
        main_cpu_us_per_frame: Number(mainUsPerFrame.toFixed(1)),
        client_cpu_us_per_frame: Number(((r.clientCpuMs * 1000) / r.delivery.length).toFixed(1)),
      };
      steps.push(step);
      const open = fds()?.open;
      const floor = cpuFloor(step);
      console.log(
        `${String(step.pages).padStart(6)} pages (${RUNS} publishes, ${r.delivery.length} deliveries): delivery p50 ${ms(step.p50)}  ` +
          `p99 ${ms(step.p99)}  max ${ms(step.max)}  room→page p99 ${ms(step.room_p99)}  POST p50 ${ms(step.post_p50)}  ` +
          `(×${(step.p99 / b99).toFixed(1)} the 1-page p99; connected in ${connectS.toFixed(1)} s; workerd open files ${open}, ` +
          `CPU ${step.cpu_us_per_frame} µs per frame, ${step.main_cpu_us_per_frame} of it in the rooms' process; clients ${step.client_cpu_us_per_frame} µs)`,
      );
      if (floor)
        console.log(
          `        one publish costs ${ms(floor.totalMs)} of CPU (workerd + clients) on ${CORES} cores: the last page cannot ` +
            `have it before ${ms(floor.floorMs)} (the clients alone ${ms(floor.clientsFloorMs)}); the rooms' thread alone ${ms(floor.roomsMs)}`,
        );
    } catch (err) {
      console.log(`stopped at ${pages()} pages: ${(err as Error).message}`);
      break;
    }
  }
  const last = steps.at(-1);
  const lastFloor = last ? cpuFloor(last) : null;
  const met = last !== undefined && last.pages >= TARGET_PAGES && last.p99 <= TARGET_P99_MS;
  console.log(
    `target ${TARGET_PAGES} pages with p99 ≤ ${TARGET_P99_MS} ms: ${met ? "met" : "NOT met"}` +
      (fdLimited
        ? ` (${fdLimited.wanted} pages do not fit in ${holders.length} workerd: open-file limit ${fdLimited.limit})`
        : ""),
  );
  const r1 = (x: number) => Number(x.toFixed(1));
  printBench("overlays", {
    storage,
    clients: CLIENTS,
    edges: EDGES,
    rooms: 1,
    child_rooms: CHILD_ROOMS,
    websocket_extensions: pool.extensions,
    baseline_p99_ms: r1(b99),
    pages: last?.pages ?? 0,
    p50_ms: r1(last?.p50 ?? 0),
    p99_ms: r1(last?.p99 ?? 0),
    max_ms: r1(last?.max ?? 0),
    target_met: met,
    fd_limited: fdLimited,
    cpu_us_per_frame: last?.cpu_us_per_frame ?? null,
    main_cpu_us_per_frame: last?.main_cpu_us_per_frame ?? null,
    client_cpu_us_per_frame: last?.client_cpu_us_per_frame ?? null,
    cores: CORES,
    cpu_floor_ms: lastFloor ? r1(lastFloor.floorMs) : null,
    rooms_thread_ms: lastFloor ? r1(lastFloor.roomsMs) : null,
    clients_floor_ms: lastFloor ? r1(lastFloor.clientsFloorMs) : null,
    steps: steps.map((s) => ({
      pages: s.pages,
      p50_ms: r1(s.p50),
      p99_ms: r1(s.p99),
      max_ms: r1(s.max),
      cpu_us_per_frame: s.cpu_us_per_frame,
    })),
  });
} finally {
  pool.kill(); // their sockets close with them
  for (const e of edges) await e.mf.dispose();
  await system.dispose();
  rmSync(dir, { recursive: true, force: true });
}
