import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { api, communityWith, fake, say } from "./support.ts";

type Content = {
  quotes: { number: number; text: string }[];
  inventory: { owner: string; item: string; quantity: number }[];
  counters: { name: string; value: number }[];
  giveaways: { keyword: string; status: string; entries: number; winners: string[] }[];
  timers: {
    name: string;
    platform: string;
    channelId: string;
    message: string;
    intervalMin: number;
    minLines: number;
  }[];
};

/** A community with the modules installed, its admin's key, and a moderator's key. */
async function setUp(...modules: string[]) {
  const { community, authorization } = await communityWith(...modules);
  const moderator = await createUserWithKey({ communityId: community.id, role: "moderator" });
  const path = (p: string) => `/api/v1/communities/${community.id}/first-party${p}`;
  const content = async () => (await api<Content>("GET", path("/content"), authorization)).data;
  return { community, authorization, moderator: moderator.authorization, path, content };
}

const audited = (communityId: string, action: string) =>
  env.DB.prepare("SELECT target_id, details FROM audit_log WHERE community_id = ? AND action = ? ORDER BY rowid")
    .bind(communityId, action)
    .all<{ target_id: string; details: string }>()
    .then((r) => r.results.map((row) => ({ target: row.target_id, ...JSON.parse(row.details) })));

describe("the portal's writes to first-party module data", () => {
  it("edits a quote (audited from → to); refuses an empty or over-long text, a missing quote and a moderator", async () => {
    const { community, authorization, moderator, path, content } = await setUp("memories");
    await say(community, "discord", "!quote add the fish was this big");
    const saved = await api("PUT", path("/quotes/1"), authorization, { text: "the fish was THIS big" });
    expect(saved.status, saved.message).toBe(200);
    expect(await say(community, "twitch", "!quote 1")).toEqual(["#1: the fish was THIS big"]);
    expect(await audited(community.id, "module.quote.edit")).toMatchObject([
      { target: "1", from: { text: "the fish was this big" }, to: { text: "the fish was THIS big" } },
    ]);
    for (const text of ["   ", "x".repeat(301)])
      expect((await api("PUT", path("/quotes/1"), authorization, { text })).status).toBe(400);
    expect((await api("PUT", path("/quotes/7"), authorization, { text: "new" })).status).toBe(404);
    expect((await api("PUT", path("/quotes/1"), moderator, { text: "mine now" })).status).toBe(403);
    // Moderators read what admins change.
    expect((await api("GET", path("/content"), moderator)).status).toBe(200);
    expect((await content()).quotes).toMatchObject([{ number: 1, text: "the fish was THIS big" }]);
  });

  it("adds and takes inventory items; more than held is a 409 and a bad owner or 0 a 400, the store unchanged", async () => {
    const { community, authorization, moderator, path, content } = await setUp("inventory");
    const add = await api("POST", path("/inventory"), authorization, {
      owner: "Twitch:Ada",
      item: "Sword",
      quantity: 3,
    });
    expect(add.status, add.message).toBe(200);
    expect(await say(community, "twitch", "!inv", { username: "ada" })).toEqual(["ada has: sword ×3"]);
    expect(
      (await api("POST", path("/inventory"), authorization, { owner: "twitch:ada", item: "sword", quantity: -5 }))
        .status,
    ).toBe(409);
    for (const bad of [
      { owner: "ada", item: "sword", quantity: 1 },
      { owner: "twitch:ada", item: "two words", quantity: 1 },
      { owner: "twitch:ada", item: "sword", quantity: 0 },
      { owner: "twitch:ada", item: "sword", quantity: 1.5 },
    ])
      expect((await api("POST", path("/inventory"), authorization, bad)).status, JSON.stringify(bad)).toBe(400);
    expect(
      (await api("POST", path("/inventory"), moderator, { owner: "twitch:ada", item: "sword", quantity: 1 })).status,
    ).toBe(403);
    expect((await content()).inventory).toEqual([{ owner: "twitch:ada", item: "sword", quantity: 3, labels: [] }]);
    expect(
      (await api("POST", path("/inventory"), authorization, { owner: "twitch:ada", item: "sword", quantity: -3 }))
        .status,
    ).toBe(200);
    expect((await content()).inventory).toEqual([]);
    expect(await audited(community.id, "module.inventory.change")).toMatchObject([
      { target: "twitch:ada/sword", from: { quantity: 0 }, to: { quantity: 3 } },
      { target: "twitch:ada/sword", from: { quantity: 3 }, to: { quantity: 0 } },
    ]);
  });

  it("sets and resets counters, which chat then reads; a bad name or value is a 400", async () => {
    const { community, authorization, path } = await setUp("counters");
    expect((await api("PUT", path("/counters/deaths"), authorization, { value: 7 })).status).toBe(200);
    expect(await say(community, "slack", "!deaths")).toEqual(["Deaths: 7"]);
    expect((await api("PUT", path("/counters/deaths"), authorization, { value: 0 })).status).toBe(200);
    expect(await say(community, "slack", "!deaths")).toEqual(["Deaths: 0"]);
    expect((await api("PUT", path("/counters/bad name"), authorization, { value: 1 })).status).toBe(400);
    expect((await api("PUT", path("/counters/deaths"), authorization, { value: 2e9 })).status).toBe(400);
    expect(await audited(community.id, "module.counter.set")).toMatchObject([
      { target: "deaths", from: { value: 0 }, to: { value: 7 } },
      { target: "deaths", from: { value: 7 }, to: { value: 0 } },
    ]);
  });

  it("adds, edits and removes timers; bad intervals, lines, channels and messages are 400s", async () => {
    const { community, authorization, path, content } = await setUp("timers");
    // Channels of this test's own (whose guild a channel is, is cached per isolate).
    const snowflake = () => String(300_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e15)));
    const [channelId, elsewhere] = [snowflake(), snowflake()];
    const timer = { platform: "discord", channelId, message: "Follow us!", intervalMin: 15, minLines: 5 };
    await fake.channelOwner("discord", channelId, community.platformIds.discord);
    await fake.channelOwner("discord", elsewhere, "999999999999999999");
    expect((await api("PUT", path("/timers/follow"), authorization, timer)).status).toBe(200);
    expect((await api("PUT", path("/timers/follow"), authorization, { ...timer, intervalMin: 30 })).status).toBe(200);
    expect(await say(community, "discord", "!timer list")).toEqual(["Timers: follow (every 30m, 5 lines)"]);
    for (const bad of [
      { ...timer, intervalMin: 0 },
      { ...timer, intervalMin: 1441 },
      { ...timer, minLines: -1 },
      { ...timer, channelId: "no spaces" },
      { ...timer, platform: "irc" },
      { ...timer, message: "x".repeat(301) },
      // Another guild's channel: the timer could never speak there.
      { ...timer, channelId: elsewhere },
    ])
      expect((await api("PUT", path("/timers/follow"), authorization, bad)).status, JSON.stringify(bad)).toBe(400);
    expect((await content()).timers).toMatchObject([{ name: "follow", intervalMin: 30, message: "Follow us!" }]);
    expect((await api("DELETE", path("/timers/nope"), authorization)).status).toBe(404);
    expect((await api("DELETE", path("/timers/follow"), authorization)).status).toBe(200);
    expect((await content()).timers).toEqual([]);
    expect((await audited(community.id, "module.timer.save"))[1]).toMatchObject({
      from: { intervalMin: 15 },
      to: { intervalMin: 30 },
    });
    expect(await audited(community.id, "module.timer.remove")).toHaveLength(1);
  });

  it("starts a giveaway, draws and re-draws winners among chat entries, and keeps the history", async () => {
    const { community, authorization, path, content } = await setUp("giveaways");
    expect((await api("POST", path("/giveaways"), authorization, { keyword: "bad word", minutes: 5 })).status).toBe(
      400,
    );
    expect((await api("POST", path("/giveaways"), authorization, { keyword: "fish", minutes: 0 })).status).toBe(400);
    expect((await api("POST", path("/giveaways/draw"), authorization, { redraw: false })).status).toBe(404);
    expect((await api("POST", path("/giveaways"), authorization, { keyword: "fish", minutes: 5 })).status).toBe(200);
    expect((await api("POST", path("/giveaways"), authorization, { keyword: "krill", minutes: 5 })).status).toBe(409);
    expect((await api("POST", path("/giveaways/draw"), authorization, { redraw: true })).status).toBe(409);
    await say(community, "twitch", "fish", { id: "u-ada", username: "ada" });
    await say(community, "discord", "fish", { id: "u-bob", username: "bob" });
    const draw = await api<{ message: string }>("POST", path("/giveaways/draw"), authorization, { redraw: false });
    expect(draw.status, draw.message).toBe(200);
    expect(draw.data.message).toMatch(/^The winner of "fish" is (ada|bob)$/);
    expect((await api("POST", path("/giveaways/draw"), authorization, { redraw: false })).status).toBe(409);
    expect((await api("POST", path("/giveaways/draw"), authorization, { redraw: true })).status).toBe(200);
    const again = await api("POST", path("/giveaways/draw"), authorization, { redraw: true });
    expect([again.status, again.message]).toEqual([409, "Everyone who entered has already won"]);
    const [g] = (await content()).giveaways;
    expect(g).toMatchObject({ keyword: "fish", status: "closed", entries: 2 });
    expect([...g!.winners].sort()).toEqual(["ada", "bob"]);
    expect(await audited(community.id, "module.giveaway.redraw")).toHaveLength(1);
  });

  it("is refused to moderators for every write, and answers 401 without a key", async () => {
    const { moderator, path } = await setUp("timers", "giveaways", "counters");
    for (const [method, p, body] of [
      ["PUT", "/counters/deaths", { value: 1 }],
      ["PUT", "/timers/t", { platform: "slack", channelId: "C1", message: "hi", intervalMin: 5, minLines: 0 }],
      ["DELETE", "/timers/t", undefined],
      ["POST", "/giveaways", { keyword: "fish", minutes: 5 }],
      ["POST", "/giveaways/draw", { redraw: false }],
    ] as const) {
      expect((await api(method, path(p), moderator, body)).status, `${method} ${p}`).toBe(403);
    }
    expect((await api("PUT", path("/counters/deaths"), "", { value: 1 })).status).toBe(401);
  });
});
