/**
 * `--profile` for a bench: a V8 CPU profile of one isolate while a phase loads it, taken over
 * the DevTools protocol from workerd's inspector (Miniflare's `inspectorPort`). workerd has no
 * per-request CPU figure locally; a profile says where an isolate's time goes (this is how the
 * second hot-path pass found the assets hop, drizzle() per call and the audit's query building).
 * The profile is written as a `.cpuprofile` (open it in Chrome DevTools) and its top self times
 * are printed.
 */
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";

/** A free local port for the inspector. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** Profiles the isolate of `worker` (its Miniflare name) while `phase` runs; returns the file written. */
export async function profileIsolate(port: number, worker: string, file: string, phase: () => Promise<unknown>) {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as { webSocketDebuggerUrl: string }[];
  const target = targets.find((t) => t.webSocketDebuggerUrl.endsWith(`/core:user:${worker}`));
  if (!target) throw new Error(`no inspector target for ${worker}`);
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  const pending = new Map<number, (result: unknown) => void>();
  ws.onmessage = (m) => {
    const msg = JSON.parse(String(m.data)) as { id?: number; result?: unknown };
    if (msg.id) pending.get(msg.id)?.(msg.result);
  };
  let seq = 0;
  const call = <T>(method: string, params = {}) =>
    new Promise<T>((resolve) => {
      pending.set(++seq, resolve as (r: unknown) => void);
      ws.send(JSON.stringify({ id: seq, method, params }));
    });
  await call("Profiler.enable");
  await call("Profiler.setSamplingInterval", { interval: 100 });
  await call("Profiler.start");
  await phase();
  const { profile } = await call<{ profile: { nodes: ProfileNode[]; samples: number[] } }>("Profiler.stop");
  ws.close();
  writeFileSync(file, JSON.stringify(profile));
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const self = new Map<string, number>();
  for (const n of profile.nodes) {
    const name = `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber}`;
    self.set(name, (self.get(name) ?? 0) + (hits.get(n.id) ?? 0));
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 12);
  console.log(`profile of ${worker}: ${file}; top self time:`);
  for (const [name, n] of top)
    console.log(`  ${((100 * n) / profile.samples.length).toFixed(1).padStart(5)} %  ${name}`);
  return file;
}
