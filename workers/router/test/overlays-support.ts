/** Helpers for the overlay tests: admin calls and the page WebSocket, over the router's fetch. */
import { expect } from "vitest";
import { call } from "../../../test/workerd/self.ts";

export const json = (method: string, path: string, authorization: string, body?: unknown) =>
  call(path, {
    method,
    headers: { authorization, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

export interface OverlaySource {
  type: "ticker" | "media" | "general";
  url: string;
  generation: number;
  previousUrlValidUntil: string | null;
  clients: number;
}

/** The community's overlay URLs, as the portal lists them. */
export async function listOverlays(communityId: string, authorization: string): Promise<OverlaySource[]> {
  const res = await json("GET", `/api/v1/communities/${communityId}/overlays`, authorization);
  expect(res.status).toBe(200);
  return (await res.json<{ data: OverlaySource[] }>()).data;
}

export const pathOf = (url: string) => new URL(url).pathname;

// biome-ignore lint/suspicious/noExplicitAny: frames are JSON the tests inspect field by field.
type Frame = any;

/** Opens the page's WebSocket (`<page path>/ws`) and collects frames. */
export async function openSocket(pagePath: string, query = "") {
  const res = await call(`${pagePath}/ws${query}`, { headers: { upgrade: "websocket" } });
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  const frames: Frame[] = [];
  const waiters: (() => void)[] = [];
  ws.addEventListener("message", (e) => {
    frames.push(JSON.parse(e.data as string));
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<number>((resolve) => ws.addEventListener("close", (e) => resolve(e.code)));
  ws.accept();
  return {
    ws,
    closed,
    /** Resolves once n frames have arrived (the test timeout bounds it). */
    async take(n: number): Promise<Frame[]> {
      while (frames.length < n) await new Promise<void>((r) => waiters.push(r));
      return frames.splice(0, n);
    },
  };
}
