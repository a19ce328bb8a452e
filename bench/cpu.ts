/**
 * CPU time of the workerd process Miniflare started, read from Linux's /proc (utime + stime of
 * every thread of the process, in clock ticks of 10 ms). workerd has no per-request CPU figure
 * locally (`performance.now()` inside a Worker only advances on I/O, by design), so a bench
 * reads the process's total around a phase and divides by the events of that phase: that is
 * every isolate (driver, router, identity, Durable Objects) and the runtime's own HTTP work per
 * event. The bare Worker's figure, measured the same way, is the floor to subtract.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICK_MS = 10; // `getconf CLK_TCK` is 100 on Linux

/** The workerd child processes of this Node process (Miniflare spawns one), or [] off Linux. */
export function workerdPids(): number[] {
  try {
    const children = readdirSync(`/proc/${process.pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${process.pid}/task/${tid}/children`, "utf8").trim().split(/\s+/).filter(Boolean),
    );
    return children.map(Number).filter((pid) => readFileSync(`/proc/${pid}/comm`, "utf8").includes("workerd"));
  } catch {
    return [];
  }
}

/** Total CPU milliseconds (user + system) the given processes have used so far. */
export function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    // Fields after the command name (which is in parentheses and may hold spaces): utime is 14th, stime 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * TICK_MS;
}

/** Runs `phase` and returns its result with workerd's and this process's CPU ms during it. */
export async function withCpu<T>(pids: number[], phase: () => Promise<T>) {
  const w0 = cpuMs(pids);
  const n0 = process.cpuUsage();
  const result = await phase();
  const n = process.cpuUsage(n0);
  return { result, workerdMs: cpuMs(pids) - w0, clientMs: (n.user + n.system) / 1000 };
}

/** Open file descriptors of a process, and its soft limit (each WebSocket a page holds is one or more). */
export function openFiles(pid: number): { open: number; limit: number } {
  const limits = readFileSync(`/proc/${pid}/limits`, "utf8");
  const limit = Number(/Max open files\s+(\d+)/.exec(limits)?.[1] ?? Number.POSITIVE_INFINITY);
  return { open: readdirSync(`/proc/${pid}/fd`).length, limit };
}
