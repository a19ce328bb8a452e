/**
 * One overlay bench client process (forked by overlays.bench.ts): holds its share of the
 * WebSockets and reports, per published seq, the wall-clock receive time of every socket.
 * Times are `performance.timeOrigin + performance.now()` (epoch ms, sub-ms), one clock for every
 * process on the machine, so the parent compares them with the moment it sent the publish.
 *
 * Messages from the parent: {op:"open", url, n} → {op:"opened", total, extensions} or {op:"error"};
 * {op:"report", seq, timeoutMs} → {op:"times", seq, times, at} once every socket has it (or the
 * timeout passed: then `times` is shorter than the socket count); {op:"close"}. (`at` is the frame's publish time in the room;
 * `cpuMs` this process's CPU since its previous report: the measuring clients share the machine's cores.)
 *
 * The sockets are `ws` clients: Node's built-in WebSocket (undici) cost these processes more CPU
 * per frame than workerd spent sending it, on the same two cores. They offer permessage-deflate
 * as browsers (and OBS) do, unless BENCH_DEFLATE=0.
 */
import WebSocket from "ws";

const sockets: WebSocket[] = [];
/** seq → receive times of that message, one per socket. */
const arrivals = new Map<number, number[]>();
/** seq → the frame's `at` (the room's clock when it took the publish). */
const publishedAt = new Map<number, number>();
const waiting = new Map<number, () => void>();
const now = () => performance.timeOrigin + performance.now();
/** The page script's heartbeat interval (workers/router/src/overlays/page-script.ts). */
const PING_MS = 20_000;
const DEFLATE = process.env.BENCH_DEFLATE !== "0";
/** This process's CPU (user + system) at the last report: each report says how much it used since. */
let cpuAtReport = process.cpuUsage();

function onFrame(data: unknown): void {
  if (typeof data !== "string" || !data.startsWith('{"op":"msg"')) return;
  const at = now();
  // No JSON.parse: the client's own work is part of every number, so keep it small.
  const seq = Number(/"seq":(\d+)/.exec(data)?.[1]);
  const times = arrivals.get(seq) ?? [];
  if (times.length === 0) publishedAt.set(seq, Number(/"at":(\d+)/.exec(data)?.[1]));
  times.push(at);
  arrivals.set(seq, times);
  if (times.length === sockets.length) waiting.get(seq)?.();
}

/**
 * Pings like a real page (every 20 s, each socket at its own offset so they do not all land at
 * once): the room closes a socket whose heartbeat has been silent for 90 s, and 10,000 pages take
 * longer than that to connect on a loaded machine.
 */
function heartbeat(ws: WebSocket): void {
  const ping = () => ws.readyState === WebSocket.OPEN && ws.send("ping");
  setTimeout(() => setInterval(ping, PING_MS), Math.random() * PING_MS);
}

async function open(url: string, n: number): Promise<void> {
  const batch = 100;
  for (let i = 0; i < n; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, async () => {
        const ws = new WebSocket(url, { perMessageDeflate: DEFLATE });
        await new Promise<void>((resolve, reject) => {
          ws.addEventListener("message", () => resolve(), { once: true }); // the room's hello
          ws.addEventListener("error", () => reject(new Error("connect failed")), { once: true });
        });
        ws.addEventListener("message", (e) => onFrame(e.data));
        heartbeat(ws);
        sockets.push(ws);
      }),
    );
  }
}

async function report(seq: number, timeoutMs: number): Promise<number[]> {
  if ((arrivals.get(seq)?.length ?? 0) < sockets.length) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      waiting.set(seq, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  waiting.delete(seq);
  const times = arrivals.get(seq) ?? [];
  arrivals.delete(seq);
  return times;
}

function takeAt(seq: number): number | undefined {
  const at = publishedAt.get(seq);
  publishedAt.delete(seq);
  return at;
}

process.on("message", async (m: { op: string; url?: string; n?: number; seq?: number; timeoutMs?: number }) => {
  try {
    if (m.op === "open") {
      await open(m.url!, m.n!);
      process.send!({ op: "opened", total: sockets.length, extensions: sockets[0]?.extensions });
    } else if (m.op === "report") {
      const times = await report(m.seq!, m.timeoutMs!);
      const cpu = process.cpuUsage(cpuAtReport);
      cpuAtReport = process.cpuUsage();
      process.send!({ op: "times", seq: m.seq, times, at: takeAt(m.seq!), cpuMs: (cpu.user + cpu.system) / 1000 });
    } else if (m.op === "close") {
      for (const ws of sockets) ws.close();
      process.disconnect();
    }
  } catch (err) {
    process.send!({ op: "error", message: (err as Error).message, total: sockets.length });
  }
});
