import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sendChat } from "../../../lib/modules/deliver.ts";
import { communityWith, fake, line, MOD, say, send, texts } from "./support.ts";

const quotes = async (communityId: string) =>
  (
    await env.DB.prepare("SELECT number, text FROM memory_quotes WHERE community_id = ? ORDER BY number")
      .bind(communityId)
      .all()
  ).results;
const scheduler = (communityId: string) => env.MODULE_SCHEDULER.get(env.MODULE_SCHEDULER.idFromName(communityId));

describe("the memories module: quotes", () => {
  it("adds numbered quotes on every platform, shows one by number, at random, and by search", async () => {
    const { community } = await communityWith("memories");
    expect(await say(community, "discord", "!quote add Never trust a penguin")).toEqual(["Quote #1 added."]);
    expect(await say(community, "twitch", "!quote add Fish are friends")).toEqual(["Quote #2 added."]);
    expect(await say(community, "slack", "!quote add  The ice is   thin ")).toEqual(["Quote #3 added."]);
    expect(await say(community, "slack", "!quote 2")).toEqual(["#2: Fish are friends"]);
    expect(await say(community, "twitch", "!quote search PENGUIN")).toEqual(["#1: Never trust a penguin"]);
    expect((await say(community, "discord", "!quote"))[0]).toMatch(/^#[123]: /);
    expect(await say(community, "discord", "!quote remove 2", MOD)).toEqual(["Quote #2 removed."]);
    expect(await say(community, "discord", "!quote add Again")).toEqual(["Quote #4 added."]);
    expect((await quotes(community.id)).map((q) => q.number)).toEqual([1, 3, 4]);
  });

  it("answers a usage line, a missing number, over-long text and a viewer's remove without writing", async () => {
    const { community } = await communityWith("memories");
    expect((await say(community, "discord", "!quote frob"))[0]).toMatch(/^Usage: /);
    expect(await say(community, "discord", "!quote add")).toEqual(["Usage: !quote add <text>"]);
    expect(await say(community, "discord", `!quote add ${"a".repeat(301)}`)).toEqual([
      "That quote is too long (300 characters at most).",
    ]);
    expect(await say(community, "discord", "!quote 12")).toEqual(["There is no quote #12."]);
    expect(await say(community, "discord", "!quote")).toEqual(["No quotes yet: add one with !quote add <text>."]);
    await say(community, "discord", "!quote add keep me");
    expect(await say(community, "discord", "!quote remove 1")).toEqual(["Only moderators can remove quotes."]);
    expect(await say(community, "discord", "!quote search 100%_")).toEqual(['No quote mentions "100%_".']);
    expect(await quotes(community.id)).toEqual([{ number: 1, text: "keep me" }]);
  });
});

describe("the memories module: urls and notes", () => {
  it("stores named links and notes (moderators) and shows them to anyone", async () => {
    const { community } = await communityWith("memories");
    expect(await say(community, "twitch", "!url add docs https://example.com/docs", MOD)).toEqual(["Link docs saved."]);
    expect(await say(community, "slack", "!url docs")).toEqual(["docs: https://example.com/docs"]);
    expect(await say(community, "discord", "!note add rules Be kind to penguins", MOD)).toEqual(["Note rules saved."]);
    expect(await say(community, "discord", "!note rules")).toEqual(["rules: Be kind to penguins"]);
    expect(await say(community, "discord", "!note list")).toEqual(["Notes: rules"]);
    expect(await say(community, "discord", "!url add evil javascript:alert(1)", MOD)).toEqual([
      "A url must be a single http(s) address, e.g. https://example.com/docs",
    ]);
    expect(await say(community, "discord", "!url add x https://a.example")).toEqual(["Only moderators can add urls."]);
    expect(await say(community, "discord", "!url nope")).toEqual(["There is no url called nope."]);
    expect((await say(community, "discord", "!url", MOD))[0]).toMatch(/^Usage: /);
  });
});

describe("the memories module: reminders", () => {
  it("schedules !remind on the community's scheduler and sends it to the channel when due", async () => {
    const { community } = await communityWith("memories");
    const channel = "123456789012345678"; // Discord channel ids are snowflakes
    await fake.channelOwner("discord", channel, community.platformIds.discord);
    const answer = await send(
      line(community, "discord", "!remind 10m stretch your flippers", { username: "ada" }, channel),
    );
    expect(texts(answer)).toEqual(["OK ada, I will remind you in 10m."]);
    const stub = scheduler(community.id);
    expect(await stub.pendingReminders()).toBe(1);
    // Not due yet: nothing is sent.
    expect((await runInDurableObject(stub, (o) => o.tick(Date.now() + 60_000))).sent).toEqual([]);
    const { sent } = await runInDurableObject(stub, (o) => o.tick(Date.now() + 11 * 60_000));
    expect(sent).toHaveLength(1);
    const msg = await fake.waitFor(`/channels/${channel}/messages`, (r) =>
      JSON.stringify(r.body).includes("stretch your flippers"),
    );
    expect(JSON.stringify(msg.body)).toContain("⏰ ada: stretch your flippers");
    expect(await stub.pendingReminders()).toBe(0);
  });

  it("a message for a channel of another community's guild is refused by the delivery service; nothing is posted", async () => {
    const { community } = await communityWith("memories");
    const foreign = `3${Date.now()}`.slice(0, 18);
    await fake.channelOwner("discord", foreign, `9${Date.now()}`.slice(0, 18));
    const target = { communityId: community.id, platform: "discord" as const, channelId: foreign };
    await expect(sendChat(env, target, "not your server")).rejects.toThrow(/refused.*does not belong/);
    // Through the scheduler: due, handed to sendChat, refused and dropped (logged), never posted.
    const stub = scheduler(community.id);
    await stub.remind({ id: crypto.randomUUID(), target, text: "not yours either", dueAt: Date.now() });
    expect((await runInDurableObject(stub, (o) => o.tick(Date.now() + 1000))).sent).toHaveLength(1);
    expect(await stub.pendingReminders()).toBe(0);
    expect(await fake.requests(`/channels/${foreign}/messages`)).toEqual([]);
  });

  it("refuses bad durations, missing and over-long text without scheduling", async () => {
    const { community } = await communityWith("memories");
    for (const bad of ["!remind", "!remind 10m", "!remind soon stretch", "!remind 10s stretch", "!remind 30d stretch"])
      expect((await say(community, "twitch", bad))[0], bad).toMatch(/^Usage: /);
    expect(await say(community, "twitch", `!remind 5m ${"x".repeat(301)}`)).toEqual([
      "That reminder is too long (300 characters at most).",
    ]);
    expect(await scheduler(community.id).pendingReminders()).toBe(0);
  });
});
