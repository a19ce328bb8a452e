import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { userShardKey } from "../src/commands/rate-limit.ts";
import { repeatBucket } from "../src/moderation/moderate.ts";
import { api, chat, send, texts } from "./support/router.ts";

async function withRules(...rules: Record<string, unknown>[]) {
  const community = await createCommunity();
  const { authorization } = await createUserWithKey({ communityId: community.id, role: "admin" });
  for (const rule of rules) {
    const res = await api("POST", `/api/v1/communities/${community.id}/moderation/rules`, authorization, {
      name: "rule",
      ...rule,
    });
    expect(res.status, JSON.stringify(res)).toBe(201);
  }
  return community;
}

const del = (community: Awaited<ReturnType<typeof createCommunity>>, text: string, user = {}) =>
  send(chat(community, text, user));

describe("moderation (string matching before commands)", () => {
  it("matches exact, contains, whole word, wildcard and regex rules", async () => {
    const c = await withRules(
      { matchType: "exact", pattern: "Buy Followers", action: "delete" },
      { matchType: "contains", pattern: "free nitro", action: "delete" },
      { matchType: "word", pattern: "heck", action: "delete" },
      { matchType: "wildcard", pattern: "*bit.ly/*", action: "delete" },
      { matchType: "regex", pattern: "c[a@]sh\\s*app", action: "delete" },
    );
    const moderated = [
      "buy followers",
      "get FREE NITRO here",
      "what the heck!",
      "see bit.ly/abc now",
      "send C@SH  APP",
    ];
    for (const text of moderated) expect((await del(c, text)).status, text).toBe("moderated");
    const fine = ["buy followers please", "free nitr0", "checking in", "bit.ly", "cash", "hello"];
    for (const text of fine) expect((await del(c, text)).status, text).toBe("ignored");
  });

  it("returns the actions: delete, timeout with its duration, ban", async () => {
    const c = await withRules(
      {
        matchType: "contains",
        pattern: "aaa",
        action: "timeout",
        actionConfig: { durationSec: 300, message: "{user}, timed out" },
      },
      { matchType: "contains", pattern: "bbb", action: "ban" },
    );
    const out = await del(c, "aaa", { displayName: "Spammy" });
    expect(out.actions).toMatchObject([{ type: "delete" }, { type: "timeout", durationSec: 300 }]);
    expect(texts(out)).toEqual(["Spammy, timed out"]);
    expect((await del(c, "bbb")).actions).toMatchObject([{ type: "ban", reason: "WaddleBot: rule" }]);
  });

  it("filters shouting, links outside the allow-list, and repeated messages", async () => {
    const c = await withRules(
      {
        matchType: "caps",
        action: "warn",
        options: { maxCapsRatio: 0.8, minLength: 8 },
        actionConfig: { message: "no caps" },
      },
      { matchType: "links", action: "delete", options: { allowedDomains: ["twitch.tv"] } },
      { matchType: "repeat", action: "delete", options: { repeatCount: 3, repeatWindowSec: 60 } },
    );
    expect(texts(await del(c, "THIS IS SO LOUD"))).toEqual(["no caps"]);
    expect((await del(c, "OK LOL")).status).toBe("ignored");
    expect((await del(c, "look https://evil.example.com/x")).status).toBe("moderated");
    expect((await del(c, "look at scam.xyz now")).status).toBe("moderated");
    expect((await del(c, "watch https://www.twitch.tv/waddle")).status).toBe("ignored");
    const user = { id: "u-repeat" };
    expect((await del(c, "same thing", user)).status).toBe("ignored");
    expect((await del(c, "Same   thing", user)).status).toBe("ignored");
    expect((await del(c, "same thing", user)).status).toBe("moderated");
  });

  it("keeps the repeat filter's windows in the user's rate-limit shard, not an object per user", async () => {
    const c = await withRules({
      matchType: "repeat",
      action: "delete",
      options: { repeatCount: 5, repeatWindowSec: 60 },
    });
    const userId = `u-${crypto.randomUUID().slice(0, 8)}`;
    for (let i = 0; i < 2; i++) expect((await del(c, "hello again", { id: userId })).status).toBe("ignored");
    const shard = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(userShardKey(c.id, "discord", userId)));
    const rule = { bucket: repeatBucket("discord", userId, "hello again"), limit: 4, windowMs: 60_000 };
    // Two lines counted in the shard object (4 allowed before the 5th repeat is moderated).
    expect(await shard.peek(rule)).toMatchObject({ remaining: 2 });
    // And nothing in the per-user object the filter used to make.
    const old = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`${c.id}:discord:${userId}:repeat`));
    expect(await old.peek({ ...rule, bucket: rule.bucket.replace(`repeat:discord:${userId}:`, "") })).toMatchObject({
      remaining: 4,
    });
  });

  it("escalates by strikes", async () => {
    const c = await withRules({
      matchType: "word",
      pattern: "spoiler",
      action: "warn",
      actionConfig: { message: "strike {count}" },
      escalation: [
        { strikes: 2, action: "timeout", durationSec: 60 },
        { strikes: 3, action: "ban" },
      ],
    });
    const user = { id: "u-strikes" };
    expect(texts(await del(c, "spoiler", user))).toEqual(["strike 1"]);
    expect((await del(c, "spoiler", user)).actions).toMatchObject([
      { type: "delete" },
      { type: "timeout", durationSec: 60 },
    ]);
    expect((await del(c, "spoiler", user)).actions).toMatchObject([{ type: "ban" }]);
  });

  it("exempts users at the rule's exempt level", async () => {
    const c = await withRules({ matchType: "contains", pattern: "link", action: "delete", exemptLevel: "vip" });
    expect((await del(c, "link", { isVip: true })).status).toBe("ignored");
    expect((await del(c, "link", { isModerator: true })).status).toBe("ignored");
    expect((await del(c, "link", { isSubscriber: true })).status).toBe("moderated");
  });

  it("runs before command handling, and can run a command itself", async () => {
    const c = await withRules(
      { matchType: "contains", pattern: "!ping", action: "delete" },
      { matchType: "contains", pattern: "when stream", action: "command", actionConfig: { command: "!uptime" } },
    );
    expect(await del(c, "!ping")).toMatchObject({ status: "moderated", replies: [] });
    expect(texts(await del(c, "when stream?"))).toEqual(["The stream is offline."]);
  });

  it("answers an auto-response with a reply", async () => {
    const c = await withRules({
      matchType: "word",
      pattern: "discord",
      action: "reply",
      actionConfig: { message: "Join: discord.gg/x" },
    });
    expect(texts(await del(c, "is there a Discord?"))).toEqual(["Join: discord.gg/x"]);
  });
});
