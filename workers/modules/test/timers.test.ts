import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { type Community, communityWith, fake, line, MOD, say, send, texts } from "./support.ts";

const CHANNEL = "223456789012345678"; // a Discord snowflake
const scheduler = (communityId: string) => env.MODULE_SCHEDULER.get(env.MODULE_SCHEDULER.idFromName(communityId));
const tick = (communityId: string, at: number) => runInDurableObject(scheduler(communityId), (o) => o.tick(at));
const stream = (community: Community, type: "stream_online" | "stream_offline") =>
  send({ ...line(community, "twitch", ""), type, text: undefined });

describe("the timers module", () => {
  it("posts every N minutes only while live and after M chat lines since the last post", async () => {
    const { community } = await communityWith("timers");
    await fake.channelOwner("discord", CHANNEL, community.platformIds.discord);
    const t0 = Date.now();
    const added = await send(line(community, "discord", "!timer add tip 15 3 Follow the penguin!", MOD, CHANNEL));
    expect(texts(added)).toEqual(["Timer tip: every 15 minutes in this channel while live, after 3 chat lines."]);
    for (let i = 0; i < 3; i++) await send(line(community, "discord", `hello ${i}`, {}, CHANNEL));
    await vi.waitFor(async () => expect((await scheduler(community.id).timers())[0]?.linesSince).toBe(3));
    // Offline: held back even with enough lines.
    expect((await tick(community.id, t0 + 16 * 60_000)).sent).toEqual([]);
    await stream(community, "stream_online");
    const { sent } = await tick(community.id, t0 + 18 * 60_000);
    expect(sent).toHaveLength(1);
    await fake.waitFor(`/channels/${CHANNEL}/messages`, (r) => JSON.stringify(r.body).includes("Follow the penguin!"));
    // Live, but no chat since the last post: silent at the next interval.
    expect((await tick(community.id, t0 + 34 * 60_000)).sent).toEqual([]);
    await send(line(community, "discord", "one line is not three", {}, CHANNEL));
    await stream(community, "stream_offline");
    expect((await tick(community.id, t0 + 60 * 60_000)).sent).toEqual([]);
  });

  it("lists and removes timers; the schedule forgets a removed one", async () => {
    const { community } = await communityWith("timers");
    await send(line(community, "discord", "!timer add a 5 0 Hi", MOD, CHANNEL));
    await send(line(community, "discord", "!timer add b 10 2 Ho", MOD, CHANNEL));
    expect(await say(community, "slack", "!timer list")).toEqual([
      "Timers: a (every 5m, 0 lines), b (every 10m, 2 lines)",
    ]);
    expect(await say(community, "twitch", "!timer remove a", MOD)).toEqual(["Timer a removed."]);
    expect((await scheduler(community.id).timers()).length).toBe(1);
    expect(await say(community, "twitch", "!timer remove a", MOD)).toEqual(["There is no timer a."]);
  });

  it("refuses viewers, bad numbers, a missing or over-long message; nothing is stored", async () => {
    const { community } = await communityWith("timers");
    expect(await say(community, "discord", "!timer add x 5 0 Hi")).toEqual(["Only moderators can add timers."]);
    for (const bad of [
      "!timer",
      "!timer go",
      "!timer add x",
      "!timer add x 0 0 Hi",
      "!timer add x 2000 0 Hi",
      "!timer add x 5 -1 Hi",
      "!timer add x 5 5",
      "!timer add B@d 5 0 Hi",
    ])
      expect((await say(community, "discord", bad, MOD))[0], bad).toMatch(/^Usage: /);
    expect(await say(community, "discord", `!timer add x 5 0 ${"y".repeat(301)}`, MOD)).toEqual([
      "That timer message is too long (300 characters at most).",
    ]);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM module_timers WHERE community_id = ?")
      .bind(community.id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);
    expect(await scheduler(community.id).timers()).toEqual([]);
  });
});
