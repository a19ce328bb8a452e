/** A test's end of an overlay room socket: every frame it receives, in order, awaitable. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { OverlayRoom } from "../overlay-room.ts";

const ns = () => env.OVERLAY_ROOM as DurableObjectNamespace<OverlayRoom>;
export const freshRoom = () => ns().get(ns().idFromName(crypto.randomUUID()));
export type RoomStub = ReturnType<typeof freshRoom>;

// biome-ignore lint/suspicious/noExplicitAny: frames are JSON the tests inspect field by field.
export type Frame = any;

export class TestSocket {
  private readonly frames: Frame[] = [];
  private readonly waiters: (() => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (e) => {
      const data = typeof e.data === "string" ? e.data : "";
      this.frames.push(data.startsWith("{") ? JSON.parse(data) : data);
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) =>
      ws.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason })),
    );
    ws.accept();
  }

  /** Resolves once `n` frames have arrived (the test's timeout bounds the wait). */
  async take(n: number): Promise<Frame[]> {
    while (this.frames.length < n) await new Promise<void>((r) => this.waiters.push(r));
    return this.frames.splice(0, n);
  }

  /** Frames received so far, without waiting. */
  peek(): Frame[] {
    return [...this.frames];
  }

  send(text: string) {
    this.ws.send(text);
  }
}

/** Opens a socket to the room the way the router hands one over. */
export async function connect(stub: RoomStub, query: string): Promise<TestSocket> {
  const res = await stub.fetch(
    new Request(`https://overlay-room/connect?${query}`, { headers: { Upgrade: "websocket" } }),
  );
  expect(res.status).toBe(101);
  return new TestSocket(res.webSocket!);
}
