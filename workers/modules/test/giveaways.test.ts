import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { randomBelow, weightedPick } from "../src/giveaways/draw.ts";
import { communityWith, line, MOD, say, send, texts } from "./support.ts";

const entries = async (communityId: string) =>
  (
    await env.DB.prepare(
      "SELECT e.username, e.weight FROM giveaway_entries e JOIN giveaways g ON g.id = e.giveaway_id WHERE g.community_id = ? ORDER BY e.username",
    )
      .bind(communityId)
      .all<{ username: string; weight: number }>()
  ).results;

describe("the giveaways module", () => {
  it("takes keyword entries from every platform (subscribers with luck), draws, announces on the overlay, re-draws", async () => {
    const { community } = await communityWith("giveaways");
    expect(await say(community, "twitch", "!giveaway start penguin 5m", MOD)).toEqual([
      "🎁 Giveaway started! Type penguin in chat to enter (5m).",
    ]);
    await send(line(community, "discord", "penguin", { id: "d1", username: "ada" }));
    await send(line(community, "twitch", "PENGUIN ", { id: "t1", username: "bob", isSubscriber: true }));
    await send(line(community, "slack", "penguin", { id: "s1", username: "cy" }));
    await send(line(community, "slack", "penguin", { id: "s1", username: "cy" }));
    await send(line(community, "discord", "pengu", { id: "d2", username: "dee" }));
    await vi.waitFor(async () => expect((await entries(community.id)).length).toBe(3), { timeout: 5000 });
    expect(await entries(community.id)).toEqual([
      { username: "ada", weight: 1 },
      { username: "bob", weight: 2 },
      { username: "cy", weight: 1 },
    ]);
    expect((await say(community, "discord", "!giveaway"))[0]).toMatch(
      /^Giveaway open: type penguin to enter \(3 entries/,
    );

    const drawn = await send(line(community, "discord", "!giveaway draw", MOD));
    const [announce] = texts(drawn);
    const first = /is @(\w+)!$/.exec(announce ?? "")?.[1];
    expect(["ada", "bob", "cy"]).toContain(first);
    const overlay = drawn.replies.find((r) => r.type === "general") as { data: { html: string } } | undefined;
    expect(overlay?.data.html).toContain(first);

    const seen = new Set([first]);
    for (let i = 0; i < 2; i++) {
      const [again] = await say(community, "slack", "!giveaway redraw", MOD);
      seen.add(/is @(\w+)!$/.exec(again ?? "")?.[1]);
    }
    expect(seen).toEqual(new Set(["ada", "bob", "cy"]));
    expect(await say(community, "slack", "!giveaway redraw", MOD)).toEqual(["Everyone who entered has already won."]);
  });

  it("refuses viewers, bad sub-commands, bad keywords and durations, and a second open giveaway", async () => {
    const { community } = await communityWith("giveaways");
    expect(await say(community, "discord", "!giveaway start x 5m")).toEqual(["Only moderators can start a giveaway."]);
    expect(await say(community, "discord", "!giveaway draw")).toEqual(["Only moderators can draw a giveaway."]);
    expect((await say(community, "discord", "!giveaway dance", MOD))[0]).toMatch(/^Usage: /);
    for (const bad of [
      "!giveaway start",
      "!giveaway start key",
      "!giveaway start key 5y",
      "!giveaway start key 1s",
      "!giveaway start key 48h",
      "!giveaway start k!y 5m",
      `!giveaway start ${"k".repeat(33)} 5m`,
    ])
      expect((await say(community, "discord", bad, MOD))[0], bad).toMatch(/^Usage: /);
    const count = async () =>
      (
        await env.DB.prepare("SELECT count(*) AS n FROM giveaways WHERE community_id = ?")
          .bind(community.id)
          .first<{ n: number }>()
      )?.n;
    expect(await count()).toBe(0);
    await say(community, "discord", "!giveaway start fish 10m", MOD);
    expect((await say(community, "discord", "!giveaway start other 10m", MOD))[0]).toMatch(/already open/);
    expect(await count()).toBe(1);
    expect(await say(community, "discord", "!giveaway draw", MOD)).toEqual(["Nobody entered the giveaway."]);
    expect(await say(community, "discord", "!giveaway redraw", MOD)).toEqual([
      "Nothing to re-draw yet: use !giveaway draw.",
    ]);
  });
});

describe("the fair draw", () => {
  it("is uniform below n and refuses a bad range", () => {
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) counts[randomBelow(3)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
    expect(() => randomBelow(0)).toThrow(RangeError);
    expect(() => randomBelow(1.5)).toThrow(RangeError);
  });

  it("picks by weight (a subscriber with luck 3 wins about three times as often)", () => {
    const wins = { sub: 0, viewer: 0 };
    const pool = [
      { name: "sub" as const, weight: 3 },
      { name: "viewer" as const, weight: 1 },
    ];
    for (let i = 0; i < 4000; i++) wins[weightedPick(pool)!.name]++;
    expect(wins.sub / 4000).toBeGreaterThan(0.7);
    expect(wins.sub / 4000).toBeLessThan(0.8);
    expect(weightedPick([])).toBeNull();
  });
});
