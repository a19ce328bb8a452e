import { listDurableObjectIds } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";
import { json, listOverlays, openSocket, pathOf } from "./overlays-support.ts";

async function overlays() {
  const community = await createCommunity();
  const { authorization } = await createUserWithKey({ communityId: community.id, role: "admin" });
  return { community, authorization, sources: await listOverlays(community.id, authorization) };
}

describe("GET /overlay/{token}/{type}: the OBS page", () => {
  it("serves each type's page with a strict CSP, no referrer and no external resources", async () => {
    const { sources } = await overlays();
    for (const source of sources) {
      const res = await call(pathOf(source.url));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      const csp = res.headers.get("content-security-policy")!;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      // Images: the page's own, data: and https only; never plain http (mixed content, tracking).
      expect(csp).toMatch(/(^|; )img-src 'self' data: https:(;|$)/);
      expect(csp).not.toMatch(/img-src[^;]*http:/);
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      const html = await res.text();
      expect(html).toContain(`data-type="${source.type}"`);
      expect(html).toContain('<script src="/overlay/assets/overlay.js" defer></script>');
      expect(html).not.toMatch(/<script>|https?:\/\//);
    }
  });

  it("serves its script and stylesheet same-origin; the page background is transparent; no fonts or URLs", async () => {
    const js = await call("/overlay/assets/overlay.js");
    const css = await call("/overlay/assets/overlay.css");
    expect(js.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
    const [script, style] = [await js.text(), await css.text()];
    expect(style).toMatch(/html, body \{[^}]*background: transparent/);
    for (const text of [script, style]) {
      expect(text).not.toMatch(/https?:\/\/|@import|@font-face|url\(/);
    }
  });

  it("answers 404 for an unknown token, a malformed token and a token of another type", async () => {
    const { sources } = await overlays();
    const tickerToken = pathOf(sources[0]!.url).split("/")[2];
    expect((await call(`/overlay/${"0".repeat(40)}/ticker`)).status).toBe(404);
    expect((await call("/overlay/not-a-token/ticker")).status).toBe(404);
    expect((await call(`/overlay/${tickerToken}/media`)).status).toBe(404);
    expect((await call(`/overlay/${tickerToken}/chat`)).status).toBe(404);
  });
});

describe("GET /overlay/{token}/{type}/ws: the page's WebSocket", () => {
  it("upgrades with a valid token and greets the page", async () => {
    const { sources } = await overlays();
    const socket = await openSocket(pathOf(sources[1]!.url));
    expect(await socket.take(1)).toEqual([{ op: "hello", type: "media", seq: 0, oldestSeq: null, reset: false }]);
  });

  it("answers 426 to a request without an upgrade", async () => {
    const { sources } = await overlays();
    expect((await call(`${pathOf(sources[0]!.url)}/ws`)).status).toBe(426);
  });

  it("answers 404 to a wrong token and creates no room", async () => {
    const before = (await listDurableObjectIds(env.OVERLAY_ROOM)).length;
    const wrong = await call(`/overlay/${"f".repeat(40)}/ticker/ws`, { headers: { upgrade: "websocket" } });
    expect(wrong.status).toBe(404);
    expect(wrong.webSocket).toBeNull();
    expect((await listDurableObjectIds(env.OVERLAY_ROOM)).length).toBe(before);
  });

  it("resumes from ?since: a page that was away gets what was published meanwhile", async () => {
    const { community, authorization, sources } = await overlays();
    const path = pathOf(sources[0]!.url);
    const publish = (text: string) =>
      json("POST", `/api/v1/communities/${community.id}/overlays/ticker/messages`, authorization, { text });
    await publish("one");
    await publish("two");
    await publish("three");
    const page = await openSocket(path, "?since=1");
    const [hello, ...missed] = await page.take(3);
    expect(hello).toMatchObject({ op: "hello", seq: 3 });
    expect(missed.map((m) => m.data.text)).toEqual(["two", "three"]);
  });

  it("ignores a since that is not a number (a first load)", async () => {
    const { sources } = await overlays();
    const page = await openSocket(pathOf(sources[0]!.url), "?since=abc");
    expect((await page.take(1))[0]).toMatchObject({ op: "hello", reset: false });
  });
});
