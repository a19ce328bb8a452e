import { describe, expect, it } from "vitest";
import { createModerationRule } from "../../../test/workerd/fixtures.ts";
import { api, communityWith, fake, PLATFORMS, say } from "./support.ts";

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
});
