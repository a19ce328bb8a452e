import { describe, expect, inject, it } from "vitest";

const urls = inject("urls");
const communityId = inject("demoCommunityId");
const headers = { authorization: `Bearer ${inject("adminApiKey")}`, "content-type": "application/json" };
const api = `${urls.router}/api/v1/communities/${communityId}/overlays`;

/** Resolves with the next `n` JSON frames of a socket. */
function frames(ws: WebSocket, n: number): Promise<{ op: string; seq: number; data?: { text?: string } }[]> {
  const got: { op: string; seq: number }[] = [];
  return new Promise((resolve) => {
    ws.addEventListener("message", function on(e) {
      got.push(JSON.parse(String(e.data)));
      if (got.length === n) {
        ws.removeEventListener("message", on);
        resolve(got);
      }
    });
  });
}

describe("the overlay WebSocket on the router's own port", () => {
  it("serves HTTP and the WebSocket upgrade on one port, and delivers a published message", async () => {
    const list = (await (await fetch(api, { headers })).json()) as { data: { type: string; url: string }[] };
    const page = list.data.find((s) => s.type === "ticker")!.url;
    expect(new URL(page).port).toBe(new URL(urls.router).port);
    expect((await fetch(page)).status).toBe(200);

    const ws = new WebSocket(`${page.replace(/^http/, "ws")}/ws`);
    const [hello] = await frames(ws, 1);
    expect(hello).toMatchObject({ op: "hello" });
    const next = frames(ws, 1);
    const res = await fetch(`${api}/ticker/messages`, {
      method: "POST",
      headers,
      body: JSON.stringify({ text: "over the wire" }),
    });
    expect(res.status).toBe(201);
    expect((await next)[0]).toMatchObject({ op: "msg", seq: hello!.seq + 1, data: { text: "over the wire" } });
    ws.send("ping");
    expect(await new Promise((r) => ws.addEventListener("message", (e) => r(e.data), { once: true }))).toBe("pong");
    ws.close();
  });

  it("refuses the upgrade for a token that does not exist", async () => {
    const ws = new WebSocket(`${urls.router.replace(/^http/, "ws")}/overlay/${"0".repeat(40)}/ticker/ws`);
    const outcome = await new Promise((resolve) => {
      ws.addEventListener("open", () => resolve("open"));
      ws.addEventListener("error", () => resolve("error"));
    });
    expect(outcome).toBe("error");
    expect((await fetch(`${urls.router}/overlay/${"0".repeat(40)}/ticker`)).status).toBe(404);
  });
});
