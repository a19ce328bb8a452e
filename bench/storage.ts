/**
 * Where a bench keeps its local D1 and Durable Object storage. On disk every durable commit is
 * a device flush on workerd's thread, which a production Durable Object commit is not, so the
 * default is tmpfs (`/dev/shm` when present): the figure then says something about the code.
 * `--disk` (anywhere in the arguments) puts it under the OS temp dir to compare.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export function benchWorkDir(prefix: string): { dir: string; storage: "tmpfs" | "disk" } {
  const disk = process.argv.includes("--disk") || !existsSync("/dev/shm");
  const root = disk ? tmpdir() : "/dev/shm";
  return { dir: mkdtempSync(path.join(root, prefix)), storage: disk ? "disk" : "tmpfs" };
}

/** The machine-readable last line every bench prints, for scripts. */
export function printBench(name: string, figures: Record<string, unknown>): void {
  console.log(`BENCH ${JSON.stringify({ bench: name, ...figures })}`);
}
