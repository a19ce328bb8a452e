/**
 * The overlay bench's pages, held by forked client processes (bench/overlay-clients.ts): the
 * parent's side of that conversation, and opening pages evenly over the processes.
 */
import { type ChildProcess, fork } from "node:child_process";
import path from "node:path";

export type Reply = {
  op: string;
  total?: number;
  times?: number[];
  at?: number;
  cpuMs?: number;
  message?: string;
  extensions?: string;
};

/** One client process; it answers one request at a time, in order. */
export class Client {
  pages = 0;
  /** The page URL this client's sockets connect to (its edge's, or the main router's). */
  url = "";
  readonly proc: ChildProcess;
  constructor(proc: ChildProcess) {
    this.proc = proc;
  }
  ask(msg: object): Promise<Reply> {
    return new Promise((resolve) => {
      this.proc.once("message", (m) => resolve(m as Reply));
      this.proc.send(msg);
    });
  }
}

export class ClientPool {
  readonly clients: Client[];
  /** The WebSocket extensions the server agreed to (permessage-deflate costs CPU per frame per page). */
  extensions = "";

  constructor(count: number) {
    this.clients = Array.from(
      { length: count },
      () => new Client(fork(path.join(import.meta.dirname, "overlay-clients.ts"), { stdio: "inherit" })),
    );
  }

  pages(): number {
    return this.clients.reduce((n, c) => n + c.pages, 0);
  }

  /** Opens pages until `n` are connected, spread evenly over the client processes. */
  async openPages(n: number): Promise<void> {
    const per = Math.ceil(n / this.clients.length);
    let remaining = n - this.pages();
    const shares = this.clients.map((c) => {
      const add = Math.min(Math.max(per - c.pages, 0), remaining);
      remaining -= add;
      return add;
    });
    await Promise.all(
      this.clients.map(async (c, i) => {
        if (shares[i] === 0) return;
        const r = await c.ask({ op: "open", url: c.url, n: shares[i] });
        c.pages = r.total ?? c.pages;
        this.extensions = r.extensions ?? this.extensions;
        if (r.op === "error") throw new Error(`${r.message} at ${this.pages()} pages`);
      }),
    );
  }

  kill(): void {
    for (const c of this.clients) c.proc.kill();
  }
}

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
