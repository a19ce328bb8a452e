import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { saveBot } from "../../../lib/connections/store.ts";
import { createModerationRule } from "../../../test/workerd/fixtures.ts";
import { api, communityWith, fake, line, PLATFORMS, say, send, texts } from "./support.ts";

const completion = (content: string, tokens = 50) => ({
  method: "POST",
  path: "/ai/v1/chat/completions",
  status: 200,
  body: { choices: [{ message: { role: "assistant", content } }], usage: { total_tokens: tokens } },
});

describe("the ai module", () => {
  it("answers !ai on every platform from the OpenAI-compatible API, cut to the platform's length", async () => {
    const { community, authorization } = await communityWith("ai");
    await api("PATCH", `/api/v1/communities/${community.id}/installations/ai`, authorization, {
      settings: { userCooldownSec: 0, systemPrompt: `You are a penguin ${community.id}` },
    });
    const long = `${"Penguins waddle. ".repeat(60)}End.`;
    await fake.script({ ...completion(long), times: 3 });
    for (const p of PLATFORMS) {
      const [answer] = await say(community, p, "!ai why do penguins waddle?");
      expect(answer!.length).toBeLessThanOrEqual(p === "twitch" ? 500 : 2000);
      expect(answer).toMatch(/^Penguins waddle\./);
    }
    const calls = (await fake.requests("/ai/v1/chat/completions")).filter((r) =>
      JSON.stringify(r.body).includes(community.id),
    );
    expect(calls).toHaveLength(3);
    expect(calls[0]!.headers.authorization).toBe("Bearer test-ai-key");
    expect(calls[0]!.body).toMatchObject({
      model: "test-model",
      messages: [
        { role: "system", content: `You are a penguin ${community.id}` },
        { role: "user", content: "why do penguins waddle?" },
      ],
    });
  });

  it("keeps a per-user cooldown and the community's daily token budget", async () => {
    const { community, authorization } = await communityWith("ai");
    await api("PATCH", `/api/v1/communities/${community.id}/installations/ai`, authorization, {
      settings: { dailyTokens: 100, systemPrompt: `budget ${community.id}` },
    });
    await fake.script({ ...completion("Fish.", 150), times: 1 });
    const ada = { id: `ada-${community.id}`, username: "ada" };
    expect(await say(community, "discord", "!ai first?", ada)).toEqual(["Fish."]);
    expect(await say(community, "discord", "!ai again?", ada)).toEqual(["One question every 30 seconds, please."]);
    expect(await say(community, "discord", "!ai mine?", { id: `bob-${community.id}`, username: "bob" })).toEqual([
      "The AI has used up today's budget here; try again tomorrow.",
    ]);
  });

  it("answers a usage line, refuses over-long questions and says so when the API fails", async () => {
    const { community, authorization } = await communityWith("ai");
    await api("PATCH", `/api/v1/communities/${community.id}/installations/ai`, authorization, {
      settings: { userCooldownSec: 0, systemPrompt: `fail ${community.id}` },
    });
    expect(await say(community, "slack", "!ai")).toEqual(["Usage: !ai <question>"]);
    expect(await say(community, "slack", `!ai ${"q".repeat(301)}`)).toEqual([
      "That question is too long (300 characters at most).",
    ]);
    await fake.script({ method: "POST", path: "/ai/v1/chat/completions", status: 500, body: { error: "boom" } });
    expect(await say(community, "slack", "!ai hello?")).toEqual(["The AI is not available right now."]);
    await fake.script({ method: "POST", path: "/ai/v1/chat/completions", status: 200, body: { nonsense: true } });
    expect(await say(community, "slack", "!ai hello?")).toEqual(["The AI is not available right now."]);
  });

  it("applies the community's moderation rules to the answer before it is posted", async () => {
    const { community, authorization } = await communityWith("ai");
    await api("PATCH", `/api/v1/communities/${community.id}/installations/ai`, authorization, {
      settings: { userCooldownSec: 0, systemPrompt: `rules ${community.id}` },
    });
    await createModerationRule(community.id, {
      name: "no krill",
      matchType: "word",
      pattern: "krill",
      action: "delete",
    });
    await fake.script({ ...completion("Penguins love krill."), times: 1 });
    expect(await say(community, "twitch", "!ai what do penguins eat?")).toEqual([
      "The AI's answer was withheld by this community's moderation rules.",
    ]);
    await fake.script({ ...completion("Penguins love fish."), times: 1 });
    expect(await say(community, "twitch", "!ai and else?")).toEqual(["Penguins love fish."]);
  });

  describe("replies when the bot is mentioned", () => {
    /** The completions this community's mentions asked for (its system prompt names it). */
    const asked = async (tag: string) =>
      (await fake.requests("/ai/v1/chat/completions"))
        .filter((r) => JSON.stringify(r.body).includes(tag))
        .map((r) => (r.body as { messages: { content: string }[] }).messages[1]!.content);

    it("are off by default; switched on, @name, Discord's <@bot>, a Slack app_mention and 'Name,' are answered like !ai", async () => {
      const { community, authorization } = await communityWith("ai");
      const tag = `mention ${community.id}`;
      await api("PATCH", `/api/v1/communities/${community.id}/installations/ai`, authorization, {
        settings: { userCooldownSec: 0, systemPrompt: tag },
      });
      expect(await say(community, "twitch", "@WaddleBot are you there?")).toEqual([]);
      const on = await api("PATCH", `/api/v1/communities/${community.id}/installations/ai`, authorization, {
        settings: { mentionReplies: true, userCooldownSec: 0, systemPrompt: tag },
      });
      expect(on.status, on.message).toBe(200);
      // The instance's Twitch bot account: `@its login` is a mention too.
      const bot = { accountId: "100000077", accountName: "Penguin Bot", accountLogin: "penguinbot", botUserId: null };
      await saveBot(env as never, { ...bot, scopes: [], accessToken: "t", refreshToken: null, expiresAt: null }, null);
      await fake.script({ ...completion(`${"Krill and fish. ".repeat(50)}End.`), times: 5 });
      const [twitch] = await say(community, "twitch", "@waddlebot what do you eat?");
      expect(twitch!.length).toBeLessThanOrEqual(500);
      expect(twitch).toMatch(/^Krill and fish\./);
      expect(await say(community, "discord", "<@100000000000000099> and for dinner?")).toHaveLength(1);
      const mention = { ...line(community, "slack", "where do you live?"), type: "app_mention" as const };
      expect(texts(await send(mention))).toHaveLength(1);
      expect(await say(community, "slack", "WaddleBot, how old are you?")).toHaveLength(1);
      expect(await say(community, "twitch", "hey @PenguinBot, can you swim?")).toHaveLength(1);
      expect(await asked(tag)).toEqual([
        "what do you eat?",
        "and for dinner?",
        "where do you live?",
        "how old are you?",
        "hey can you swim?",
      ]);
      // Not mentions: the name mid-sentence, a longer name, another Discord user, and Slack's
      // channel copy of an @mention (its app_mention event is the one answered).
      for (const [p, text] of [
        ["twitch", "I think waddlebot is cool"],
        ["twitch", "@WaddleBotFan hello"],
        ["discord", "<@100000000000000042> hello"],
        ["slack", "<@U0BOT> where do you live?"],
        ["discord", `@WaddleBot ${"x".repeat(600)}`],
      ] as const)
        expect(await say(community, p, text), text).toEqual([]);
      expect(await asked(tag)).toHaveLength(5);
    });

    it("keep the per-user cooldown and the daily budget of !ai", async () => {
      const { community, authorization } = await communityWith("ai");
      const tag = `mention-limits ${community.id}`;
      await api("PATCH", `/api/v1/communities/${community.id}/installations/ai`, authorization, {
        settings: { mentionReplies: true, dailyTokens: 100, systemPrompt: tag, botName: "Pingu" },
      });
      await fake.script({ ...completion("Fish.", 150), times: 1 });
      const ada = { id: `ada-${community.id}`, username: "ada" };
      expect(await say(community, "twitch", "@Pingu first?", ada)).toEqual(["Fish."]);
      expect(await say(community, "twitch", "Pingu: again?", ada)).toEqual(["One question every 30 seconds, please."]);
      expect(await say(community, "twitch", "@Pingu mine?", { id: `bob-${community.id}`, username: "bob" })).toEqual([
        "The AI has used up today's budget here; try again tomorrow.",
      ]);
      // The default name no longer counts once the community named its bot.
      expect(await say(community, "twitch", "@WaddleBot hello?", { id: `cy-${community.id}` })).toEqual([]);
      expect(await asked(tag)).toEqual(["first?"]);
    });
  });
});
