import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";
import { json, listOverlays, openSocket, pathOf } from "./overlays-support.ts";

describe("GET /api/v1/communities/{id}/overlays", () => {
  it("gives a moderator one unguessable URL per overlay type, the same on every call", async () => {
    const community = await createCommunity();
    const { authorization } = await createUserWithKey({ communityId: community.id, role: "moderator" });
    const first = await listOverlays(community.id, authorization);
    expect(first.map((o) => o.type)).toEqual(["ticker", "media", "general"]);
    for (const o of first) {
      expect(pathOf(o.url)).toMatch(new RegExp(`^/overlay/[0-9a-f]{40}/${o.type}$`));
      expect(o).toMatchObject({ generation: 1, previousUrlValidUntil: null, clients: 0 });
    }
    expect(new Set(first.map((o) => pathOf(o.url).split("/")[2])).size).toBe(3);
    expect(await listOverlays(community.id, authorization)).toEqual(first);
  });

  it("refuses no credentials (401), a plain member (403) and another community's owner (403)", async () => {
    const community = await createCommunity();
    const other = await createCommunity();
    const member = await createUserWithKey({ communityId: community.id, role: "member" });
    const outsider = await createUserWithKey({ communityId: other.id, role: "owner" });
    expect((await call(`/api/v1/communities/${community.id}/overlays`)).status).toBe(401);
    expect((await json("GET", `/api/v1/communities/${community.id}/overlays`, member.authorization)).status).toBe(403);
    expect((await json("GET", `/api/v1/communities/${community.id}/overlays`, outsider.authorization)).status).toBe(
      403,
    );
  });

  it("answers 404 for a community that does not exist, and 400 for an id that is not a UUID", async () => {
    const { authorization } = await createUserWithKey({ globalRole: "admin" });
    expect((await json("GET", `/api/v1/communities/${crypto.randomUUID()}/overlays`, authorization)).status).toBe(404);
    expect((await json("GET", "/api/v1/communities/nope/overlays", authorization)).status).toBe(400);
  });
});

describe("POST /api/v1/communities/{id}/overlays/{type}/rotate", () => {
  it("issues a new URL; the old one works during the grace period, and its page is told the new generation", async () => {
    const community = await createCommunity();
    const { authorization } = await createUserWithKey({ communityId: community.id, role: "admin" });
    const [ticker] = await listOverlays(community.id, authorization);
    const res = await json("POST", `/api/v1/communities/${community.id}/overlays/ticker/rotate`, authorization);
    expect(res.status).toBe(200);
    const rotated = (await res.json<{ data: { url: string; generation: number; previousUrlValidUntil: string } }>())
      .data;
    expect(rotated.url).not.toBe(ticker!.url);
    expect(rotated.generation).toBe(2);
    const grace = Date.parse(rotated.previousUrlValidUntil) - Date.now();
    expect(grace).toBeGreaterThan(4 * 60_000);
    expect(grace).toBeLessThanOrEqual(5 * 60_000);
    expect((await call(pathOf(ticker!.url))).status).toBe(200);
    expect((await call(pathOf(rotated.url))).status).toBe(200);
    const old = await openSocket(pathOf(ticker!.url));
    await old.take(1);
    const clients = await json("GET", `/api/v1/communities/${community.id}/overlays/clients`, authorization);
    expect(await clients.json()).toMatchObject({
      data: { counts: { ticker: 1 }, clients: [{ type: "ticker", gen: 1 }] },
    });
  });

  it("with graceSeconds 0 the old URL stops at once: its page 404s and its connected socket is closed", async () => {
    const community = await createCommunity();
    const { authorization } = await createUserWithKey({ communityId: community.id, role: "owner" });
    const [, media] = await listOverlays(community.id, authorization);
    const socket = await openSocket(pathOf(media!.url));
    await socket.take(1);
    const res = await json("POST", `/api/v1/communities/${community.id}/overlays/media/rotate`, authorization, {
      graceSeconds: 0,
    });
    expect(res.status).toBe(200);
    expect(await socket.closed).toBe(4001);
    expect((await call(pathOf(media!.url))).status).toBe(404);
    const [, now] = await listOverlays(community.id, authorization);
    expect((await call(pathOf(now!.url))).status).toBe(200);
  });

  it("refuses a moderator (overlays:write is for admins) and a bad grace period, changing nothing", async () => {
    const community = await createCommunity();
    const mod = await createUserWithKey({ communityId: community.id, role: "moderator" });
    const admin = await createUserWithKey({ communityId: community.id, role: "admin" });
    const before = await listOverlays(community.id, admin.authorization);
    const path = `/api/v1/communities/${community.id}/overlays/general/rotate`;
    expect((await json("POST", path, mod.authorization)).status).toBe(403);
    const bad = await json("POST", path, admin.authorization, { graceSeconds: -5 });
    expect(bad.status).toBe(400);
    expect((await bad.json<{ data: { path: string[] }[] }>()).data[0]?.path).toEqual(["graceSeconds"]);
    expect(
      (await json("POST", `/api/v1/communities/${community.id}/overlays/chat/rotate`, admin.authorization)).status,
    ).toBe(400);
    expect(await listOverlays(community.id, admin.authorization)).toEqual(before);
  });
});

describe("POST /api/v1/communities/{id}/overlays/clients/disconnect", () => {
  it("closes the pages of one type with 1012, so they reconnect and resume; others stay", async () => {
    const community = await createCommunity();
    const { authorization } = await createUserWithKey({ communityId: community.id, role: "admin" });
    const [ticker, media] = await listOverlays(community.id, authorization);
    const tickerPage = await openSocket(pathOf(ticker!.url));
    const mediaPage = await openSocket(pathOf(media!.url));
    await Promise.all([tickerPage.take(1), mediaPage.take(1)]);
    const path = `/api/v1/communities/${community.id}/overlays/clients/disconnect`;
    const res = await json("POST", path, authorization, { type: "ticker" });
    expect(await res.json()).toMatchObject({ data: { disconnected: 1 } });
    expect(await tickerPage.closed).toBe(1012);
    const clients = await json("GET", `/api/v1/communities/${community.id}/overlays/clients`, authorization);
    expect(await clients.json()).toMatchObject({ data: { counts: { ticker: 0, media: 1, general: 0 } } });
    expect((await json("POST", path, authorization, { type: "chat" })).status).toBe(400);
  });
});
