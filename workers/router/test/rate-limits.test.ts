import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { forgetLeases } from "../src/commands/leases.ts";
import { userShardKey } from "../src/commands/rate-limit.ts";
import { api, chat, send, texts } from "./support/router.ts";

async function setup(settings: Record<string, unknown> = {}) {
  const community = await createCommunity();
  const { authorization } = await createUserWithKey({ communityId: community.id, role: "admin" });
  const base = `/api/v1/communities/${community.id}`;
  if (Object.keys(settings).length) {
    expect((await api("PUT", `${base}/cooldowns`, authorization, settings)).status).toBe(200);
  }
  return { community, authorization, base };
}

describe("rate limits and cooldowns (RateLimiter Durable Objects)", () => {
  it("allows the per-user window and refuses the next, silently by default", async () => {
    const { community } = await setup({ userCommandLimit: 2, userCommandWindowSec: 60 });
    const user = { id: "u-rate" };
    expect((await send(chat(community, "!ping", user))).status).toBe("processed");
    expect((await send(chat(community, "!ping", user))).status).toBe("processed");
    const refused = await send(chat(community, "!ping", user));
    expect(refused).toMatchObject({ status: "rate_limited", replies: [] });
    expect(refused.retryAfterMs).toBeGreaterThan(50_000);
    // Another user, and another command, have their own windows.
    expect((await send(chat(community, "!ping", { id: "u-other" }))).status).toBe("processed");
    expect((await send(chat(community, "!uptime", user))).status).toBe("processed");
  });

  it("says the configured reply when a caller is limited", async () => {
    const { community } = await setup({ userCommandLimit: 1, rateLimitedReply: "Slow down {user}, {retry}s left" });
    const user = { id: "u-reply", username: "waddles" };
    await send(chat(community, "!ping", user));
    expect(texts(await send(chat(community, "!ping", user)))[0]).toMatch(/^Slow down waddles, \d+s left$/);
  });

  it("keeps a window when the Durable Object is evicted", async () => {
    const { community } = await setup({ userCommandLimit: 1 });
    const user = { id: "u-evict" };
    expect((await send(chat(community, "!ping", user))).status).toBe("processed");
    const key = userShardKey(community.id, "discord", "u-evict");
    await evictDurableObject(env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key)));
    expect((await send(chat(community, "!ping", user))).status).toBe("rate_limited");
  });

  /** The user's rows in their shard: all of them, and those of leased slots (kept past the window). */
  async function shardRows(communityId: string, userId: string, windowMs: number) {
    const shard = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(userShardKey(communityId, "discord", userId)));
    return runInDurableObject(shard, (_obj, state) => {
      const rows = state.storage.sql
        .exec<{ at: number; e: number }>("SELECT at, expires_at AS e FROM hits WHERE bucket LIKE ?", `%:${userId}:%`)
        .toArray();
      return { all: rows.length, leased: rows.filter((r) => r.e > r.at + windowMs).length };
    });
  }

  it("decides a busy chatter's commands from a lease, and never past the window", async () => {
    const { community } = await setup({ userCommandLimit: 24, userCommandWindowSec: 60 });
    const user = { id: "u-lease" };
    for (let i = 0; i < 24; i++) expect((await send(chat(community, "!ping", user))).status).toBe("processed");
    expect((await send(chat(community, "!ping", user))).status).toBe("rate_limited");
    // Every slot was recorded in the shard before it was spent, some of them as leased slots.
    const rows = await shardRows(community.id, "u-lease", 60_000);
    expect(rows.all).toBe(24);
    expect(rows.leased).toBeGreaterThan(0);
  });

  it("keeps the slots of a lost lease counted: an isolate gone never lets a chatter past the window", async () => {
    const { community } = await setup({ userCommandLimit: 24, userCommandWindowSec: 60 });
    const user = { id: "u-lost" };
    // The second command, close after the first, takes a lease (24 / 8 = 3 slots).
    await send(chat(community, "!ping", user));
    await send(chat(community, "!ping", user));
    expect((await shardRows(community.id, "u-lost", 60_000)).leased).toBe(3);
    forgetLeases();
    let more = 0;
    while ((await send(chat(community, "!ping", user))).status === "processed") more++;
    // The 3 leased slots are lost, not handed out again: 2 + 19 = 21 of 24.
    expect(more).toBe(19);
    expect((await shardRows(community.id, "u-lost", 60_000)).all).toBe(24);
  });

  it("applies a per-user cooldown and a per-command global cooldown", async () => {
    const { community, authorization, base } = await setup();
    await api("POST", `${base}/commands`, authorization, { name: "mine", response: "m", userCooldownSec: 30 });
    await api("POST", `${base}/commands`, authorization, { name: "shared", response: "s", globalCooldownSec: 30 });
    expect((await send(chat(community, "!mine", { id: "a" }))).status).toBe("processed");
    expect((await send(chat(community, "!mine", { id: "a" }))).status).toBe("rate_limited");
    expect((await send(chat(community, "!mine", { id: "b" }))).status).toBe("processed");
    expect((await send(chat(community, "!shared", { id: "a" }))).status).toBe("processed");
    expect((await send(chat(community, "!shared", { id: "b" }))).status).toBe("rate_limited");
  });

  it("applies the community-wide limit across users and commands", async () => {
    const { community } = await setup({ communityLimit: 2, communityWindowSec: 60 });
    expect((await send(chat(community, "!ping", { id: "a" }))).status).toBe("processed");
    expect((await send(chat(community, "!uptime", { id: "b" }))).status).toBe("processed");
    expect((await send(chat(community, "!ping", { id: "c" }))).status).toBe("rate_limited");
  });

  it("reads the defaults (60 per 60 s, silence) and refuses bad settings with 400", async () => {
    const { authorization, base } = await setup();
    const got = await api("GET", `${base}/cooldowns`, authorization);
    expect(got.data).toEqual({
      userCommandLimit: 60,
      userCommandWindowSec: 60,
      communityLimit: 0,
      communityWindowSec: 60,
      rateLimitedReply: null,
    });
    for (const body of [{ userCommandLimit: 0 }, { communityWindowSec: 0 }, { rateLimitedReply: "x".repeat(301) }]) {
      expect((await api("PUT", `${base}/cooldowns`, authorization, body)).status).toBe(400);
    }
    expect((await api("GET", `${base}/cooldowns`, authorization)).data).toEqual(got.data);
  });

  it("lets moderators read cooldown settings but not change them", async () => {
    const { community } = await setup();
    const { authorization } = await createUserWithKey({ communityId: community.id, role: "moderator" });
    const base = `/api/v1/communities/${community.id}/cooldowns`;
    expect((await api("GET", base, authorization)).status).toBe(200);
    expect((await api("PUT", base, authorization, { userCommandLimit: 5 })).status).toBe(403);
  });
});
