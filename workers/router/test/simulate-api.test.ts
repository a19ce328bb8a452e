import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { api } from "./support/router.ts";

type Sim = {
  status: string;
  replies: { type: string; text: string }[];
  actions: unknown[];
  execution: { engine: string } | null;
};

async function setup(role: "admin" | "moderator" | "member" = "admin") {
  const community = await createCommunity();
  const { authorization } = await createUserWithKey({ communityId: community.id, role });
  return { community, authorization, base: `/api/v1/communities/${community.id}` };
}

describe("POST /api/v1/communities/{id}/simulate", () => {
  it("sends a chat message through the full path and answers what the bot would say", async () => {
    const { authorization, base } = await setup();
    await api("POST", `${base}/commands`, authorization, {
      name: "greet",
      response: "hi {user} on {platform}: {arg1}",
    });
    const res = await api<Sim>("POST", `${base}/simulate`, authorization, {
      text: '!greet "you two"',
      username: "Tester",
      platform: "twitch",
    });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      status: "processed",
      replies: [{ type: "chat", text: "hi Tester on twitch: you two" }],
      execution: { engine: "text" },
    });
  });

  it("acts with the given role", async () => {
    const { authorization, base } = await setup();
    await api("POST", `${base}/commands`, authorization, { name: "modcmd", response: "ok", minLevel: "moderator" });
    expect(
      (await api<Sim>("POST", `${base}/simulate`, authorization, { text: "!modcmd", level: "vip" })).data.status,
    ).toBe("denied");
    expect(
      (await api<Sim>("POST", `${base}/simulate`, authorization, { text: "!modcmd", level: "moderator" })).data.status,
    ).toBe("processed");
  });

  it("shows moderation actions", async () => {
    const { authorization, base } = await setup();
    await api("POST", `${base}/moderation/rules`, authorization, {
      name: "no",
      matchType: "word",
      pattern: "scam",
      action: "ban",
    });
    const res = await api<Sim>("POST", `${base}/simulate`, authorization, { text: "a scam here" });
    expect(res.data).toMatchObject({ status: "moderated", actions: [{ type: "ban" }] });
  });

  it("answers 429 with Retry-After when the simulated user is rate limited", async () => {
    const { authorization, base } = await setup();
    await api("PUT", `${base}/cooldowns`, authorization, { userCommandLimit: 1 });
    expect((await api("POST", `${base}/simulate`, authorization, { text: "!ping", userId: "sim-x" })).status).toBe(200);
    const limited = await api("POST", `${base}/simulate`, authorization, { text: "!ping", userId: "sim-x" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("refuses bad input with 400 and members below moderator with 403", async () => {
    const { authorization, base } = await setup();
    for (const body of [
      {},
      { text: "" },
      { text: "x".repeat(2001) },
      { text: "!ping", level: "king" },
      { text: "!ping", platform: "irc" },
    ]) {
      expect((await api("POST", `${base}/simulate`, authorization, body)).status, JSON.stringify(body)).toBe(400);
    }
    const member = await setup("member");
    expect((await api("POST", `${member.base}/simulate`, member.authorization, { text: "!ping" })).status).toBe(403);
  });
});
