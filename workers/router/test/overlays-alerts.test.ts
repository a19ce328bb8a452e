import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { communities } from "../../../lib/db/schema/index.ts";
import type { ChatEvent } from "../../../lib/events/chat-event.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { alertFromPlatformEvent } from "../src/overlays/publish.ts";
import { json, listOverlays, openSocket, pathOf } from "./overlays-support.ts";

const event = (type: ChatEvent["type"], data: Record<string, unknown> = {}): ChatEvent => ({
  id: crypto.randomUUID(),
  platform: "twitch",
  type,
  communityPlatformId: "123",
  channel: { id: "123" },
  user: { id: "9", username: "penguin", displayName: "Penguin", roles: [], badges: [] },
  data,
  reply: { kind: "none" },
  receivedAt: new Date().toISOString(),
});

async function community(alerts?: Record<string, boolean>) {
  const c = await createCommunity();
  const { authorization } = await createUserWithKey({ communityId: c.id, role: "admin" });
  if (alerts) {
    const res = await json("PUT", `/api/v1/communities/${c.id}/overlays/alerts`, authorization, alerts);
    expect(res.status).toBe(200);
  }
  return { id: c.id, authorization };
}

describe("alertFromPlatformEvent", () => {
  it("raises nothing while the community has alerts off (the default)", async () => {
    const c = await community();
    expect(await alertFromPlatformEvent(env, c.id, event("follow"))).toBeNull();
  });

  it("raises a ticker alert for each switched-on event, with a readable line", async () => {
    const c = await community({ follow: true, subscribe: true, subscription_gift: true, raid: true, cheer: true });
    const [ticker] = await listOverlays(c.id, c.authorization);
    const page = await openSocket(pathOf(ticker!.url));
    await page.take(1);
    await alertFromPlatformEvent(env, c.id, event("follow"));
    await alertFromPlatformEvent(env, c.id, event("subscribe", { tier: "2000" }));
    await alertFromPlatformEvent(env, c.id, event("subscription_gift", { total: 5 }));
    await alertFromPlatformEvent(env, c.id, event("raid", { viewers: 1234 }));
    await alertFromPlatformEvent(env, c.id, event("cheer", { bits: 1 }));
    const frames = await page.take(5);
    expect(frames.map((f) => [f.data.kind, f.data.text])).toEqual([
      ["follow", "Penguin just followed!"],
      ["subscribe", "Penguin subscribed at Tier 2!"],
      ["subscription_gift", "Penguin gifted 5 subs!"],
      ["raid", "Penguin is raiding with 1,234 viewers!"],
      ["cheer", "Penguin cheered 1 bit!"],
    ]);
  });

  it("raises only the alerts that are on, and never one for a chat message", async () => {
    const c = await community({ raid: true });
    expect(await alertFromPlatformEvent(env, c.id, event("follow"))).toBeNull();
    expect(await alertFromPlatformEvent(env, c.id, event("message"))).toBeNull();
    expect(await alertFromPlatformEvent(env, c.id, event("raid", { viewers: 3 }))).toEqual({ seq: 1, delivered: 0 });
  });
});

describe("alert switches on the hot path", () => {
  it("come from the cached router config, not a D1 read per event", async () => {
    const c = await community({ raid: true });
    expect(await alertFromPlatformEvent(env, c.id, event("raid", { viewers: 3 }))).toEqual({ seq: 1, delivered: 0 });
    // A write behind the router's back (no invalidation) is not read by the next event.
    await createDb(env.DB).update(communities).set({ settings: {} }).where(eq(communities.id, c.id));
    expect(await alertFromPlatformEvent(env, c.id, event("raid", { viewers: 4 }))).toEqual({ seq: 2, delivered: 0 });
  });

  it("follow a PUT at once (it invalidates the cached config)", async () => {
    const c = await community();
    expect(await alertFromPlatformEvent(env, c.id, event("follow"))).toBeNull();
    const res = await json("PUT", `/api/v1/communities/${c.id}/overlays/alerts`, c.authorization, { follow: true });
    expect(res.status).toBe(200);
    expect(await alertFromPlatformEvent(env, c.id, event("follow"))).toEqual({ seq: 1, delivered: 0 });
    await json("PUT", `/api/v1/communities/${c.id}/overlays/alerts`, c.authorization, { follow: false });
    expect(await alertFromPlatformEvent(env, c.id, event("follow"))).toBeNull();
  });
});

describe("GET/PUT /api/v1/communities/{id}/overlays/alerts", () => {
  it("changes only the switches given and keeps the rest of the settings", async () => {
    const c = await community({ follow: true });
    const res = await json("PUT", `/api/v1/communities/${c.id}/overlays/alerts`, c.authorization, { cheer: true });
    expect(await res.json()).toMatchObject({ data: { follow: true, cheer: true, raid: false } });
    const read = await json("GET", `/api/v1/communities/${c.id}/overlays/alerts`, c.authorization);
    expect(await read.json()).toMatchObject({ data: { follow: true, cheer: true, subscribe: false } });
  });

  it("answers 400 for an unknown switch or a value that is not a boolean, and changes nothing", async () => {
    const c = await community({ follow: true });
    const path = `/api/v1/communities/${c.id}/overlays/alerts`;
    expect((await json("PUT", path, c.authorization, { follows: true })).status).toBe(400);
    expect((await json("PUT", path, c.authorization, { raid: "yes" })).status).toBe(400);
    const read = await json("GET", path, c.authorization);
    expect(await read.json()).toMatchObject({ data: { follow: true, raid: false } });
  });
});
