import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { json, listOverlays, openSocket, pathOf } from "./overlays-support.ts";

async function setup() {
  const community = await createCommunity();
  const { authorization } = await createUserWithKey({ communityId: community.id, role: "admin" });
  const [ticker, media, general] = await listOverlays(community.id, authorization);
  const publish = (type: string, body: unknown) =>
    json("POST", `/api/v1/communities/${community.id}/overlays/${type}/messages`, authorization, body);
  return { community, authorization, publish, urls: { ticker: ticker!.url, media: media!.url, general: general!.url } };
}

describe("POST /api/v1/communities/{id}/overlays/{type}/messages", () => {
  it("delivers a ticker message to the connected ticker page, numbered, with defaults filled in", async () => {
    const { publish, urls } = await setup();
    const page = await openSocket(pathOf(urls.ticker));
    await page.take(1);
    const res = await publish("ticker", { text: "Hello, chat!" });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ success: true, data: { seq: 1, delivered: 1 } });
    expect((await page.take(1))[0]).toMatchObject({
      op: "msg",
      seq: 1,
      type: "ticker",
      data: { text: "Hello, chat!", durationMs: 6000, kind: "info" },
    });
  });

  it("delivers a media card, keeping title, artist, album, art and progress", async () => {
    const { publish, urls } = await setup();
    const page = await openSocket(pathOf(urls.media));
    await page.take(1);
    const card = {
      title: "Song",
      artist: "Band",
      album: "LP",
      artUrl: "https://img.test/a.png",
      durationMs: 200_000,
      positionMs: 5_000,
    };
    expect((await publish("media", card)).status).toBe(201);
    expect((await page.take(1))[0]).toMatchObject({ type: "media", data: card });
  });

  it("sanitises general HTML on publish: the page never receives a script or a handler", async () => {
    const { publish, urls } = await setup();
    const page = await openSocket(pathOf(urls.general));
    await page.take(1);
    const html =
      '<h2>Giveaway</h2><script>alert(1)</script><img src=x onerror="alert(2)"><p onclick="x()">Type !enter</p>';
    expect((await publish("general", { html, title: "Tonight" })).status).toBe(201);
    expect((await page.take(1))[0].data).toEqual({
      html: "<h2>Giveaway</h2><p>Type !enter</p>",
      title: "Tonight",
    });
  });

  const bad: [string, string, unknown, string][] = [
    ["ticker", "an empty text", { text: "" }, "text"],
    ["ticker", "a text over 500 characters", { text: "x".repeat(501) }, "text"],
    ["ticker", "a duration under a second", { text: "hi", durationMs: 10 }, "durationMs"],
    ["ticker", "an unknown kind", { text: "hi", kind: "explosion" }, "kind"],
    ["media", "no title", { artist: "Band" }, "title"],
    ["media", "a javascript: art URL", { title: "t", artUrl: "javascript:alert(1)" }, "artUrl"],
    [
      "media",
      "a plain-http art URL (the page's CSP allows https images only)",
      { title: "t", artUrl: "http://img.test/a.png" },
      "artUrl",
    ],
    ["media", "a position past the end", { title: "t", durationMs: 1000, positionMs: 2000 }, "positionMs"],
    ["general", "html over 16 KiB", { html: `<p>${"x".repeat(16 * 1024)}</p>` }, "html"],
    ["general", "no html", { title: "only a title" }, "html"],
  ];
  for (const [type, what, body, field] of bad) {
    it(`answers 400 naming "${field}" for a ${type} message with ${what}, and stores nothing`, async () => {
      const { publish } = await setup();
      const res = await publish(type, body);
      expect(res.status).toBe(400);
      const issues = (await res.json<{ data: { path: string[] }[] }>()).data;
      expect(issues.map((i) => i.path[0])).toContain(field);
      // The room did not number the bad message: the next good one is the first.
      const good = { ticker: { text: "ok" }, media: { title: "ok" }, general: { html: "ok" } }[type];
      expect(await (await publish(type, good)).json()).toMatchObject({ data: { seq: 1 } });
    });
  }

  it("answers 400 for a body that is not JSON", async () => {
    const { community, authorization } = await setup();
    const res = await json(
      "POST",
      `/api/v1/communities/${community.id}/overlays/ticker/messages`,
      authorization,
      undefined,
    );
    expect(res.status).toBe(400);
  });

  it("refuses a moderator with 403 and a missing community with 404", async () => {
    const { community, publish } = await setup();
    const mod = await createUserWithKey({ communityId: community.id, role: "moderator" });
    const path = `/api/v1/communities/${community.id}/overlays/ticker/messages`;
    expect((await json("POST", path, mod.authorization, { text: "hi" })).status).toBe(403);
    const admin = await createUserWithKey({ globalRole: "admin" });
    const missing = `/api/v1/communities/${crypto.randomUUID()}/overlays/ticker/messages`;
    expect((await json("POST", missing, admin.authorization, { text: "hi" })).status).toBe(404);
    expect(await (await publish("ticker", { text: "first" })).json()).toMatchObject({ data: { seq: 1 } });
  });
});
