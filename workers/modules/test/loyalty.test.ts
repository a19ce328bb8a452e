import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, communityWith, type Platform, say } from "./support.ts";

/** A member with activity points already earned, known on the given platforms (linked identities). */
async function member(communityId: string, name: string, points: number, platforms: Platform[] = ["discord"]) {
  const userId = crypto.randomUUID();
  const ids = Object.fromEntries(platforms.map((p) => [p, `${p}-${crypto.randomUUID().slice(0, 8)}`])) as Record<
    Platform,
    string
  >;
  await env.DB.batch([
    env.DB.prepare("INSERT INTO users (id, display_name, created_at, updated_at) VALUES (?, ?, 0, 0)").bind(
      userId,
      name,
    ),
    ...platforms.map((p) =>
      env.DB.prepare(
        "INSERT INTO user_identities (id, user_id, platform, platform_user_id, username, created_at) VALUES (?, ?, ?, ?, ?, 0)",
      ).bind(crypto.randomUUID(), userId, p, ids[p], name),
    ),
    env.DB.prepare(
      "INSERT INTO community_members (community_id, user_id, role, points, joined_at) VALUES (?, ?, 'member', ?, 0)",
    ).bind(communityId, userId, points),
  ]);
  return { userId, ids, as: (p: Platform) => ({ id: ids[p], username: name }) };
}

const pointsOf = async (communityId: string, userId: string) =>
  (
    await env.DB.prepare("SELECT points FROM community_members WHERE community_id = ? AND user_id = ?")
      .bind(communityId, userId)
      .first<{ points: number }>()
  )?.points;

describe("the loyalty module", () => {
  it("answers !points with one balance across linked identities, on every platform", async () => {
    const { community } = await communityWith("loyalty");
    const ada = await member(community.id, "ada", 120, ["discord", "twitch", "slack"]);
    for (const p of ["discord", "twitch", "slack"] as const)
      expect(await say(community, p, "!points", ada.as(p))).toEqual(["ada, you have 120 points."]);
    expect(await say(community, "discord", "!points @ada")).toEqual(["ada has 120 points."]);
    expect(await say(community, "discord", "!points", { id: "stranger" })).toEqual(["penguin, you have 0 points."]);
  });

  it("ranks the leaderboard and uses the community's currency name", async () => {
    const { community, authorization } = await communityWith("loyalty");
    await member(community.id, "ada", 50);
    await member(community.id, "bob", 300);
    await member(community.id, "cy", 10);
    expect(await say(community, "twitch", "!top")).toEqual(["Top points: 1. bob (300), 2. ada (50), 3. cy (10)"]);
    const patched = await api("PATCH", `/api/v1/communities/${community.id}/installations/loyalty`, authorization, {
      settings: { currency: "fish" },
    });
    expect(patched.status, patched.message).toBe(200);
    expect(await say(community, "twitch", "!top")).toEqual(["Top fish: 1. bob (300), 2. ada (50), 3. cy (10)"]);
  });

  it("moves points with !give, never below zero, and records the transfer", async () => {
    const { community } = await communityWith("loyalty");
    const ada = await member(community.id, "ada", 100);
    const bob = await member(community.id, "bob", 5);
    expect(await say(community, "discord", "!give @bob 40", ada.as("discord"))).toEqual(["ada gave 40 points to bob."]);
    expect(await pointsOf(community.id, ada.userId)).toBe(60);
    expect(await pointsOf(community.id, bob.userId)).toBe(45);
    expect(await say(community, "discord", "!give bob 61", ada.as("discord"))).toEqual([
      "You do not have 61 points (you have 60).",
    ]);
    for (const bad of [
      "!give",
      "!give @bob",
      "!give @bob -5",
      "!give @bob 0",
      "!give @bob ten",
      "!give @bob 2000000",
      "!give @bob 5 extra",
    ])
      expect((await say(community, "discord", bad, ada.as("discord")))[0], bad).toMatch(/^Usage: /);
    expect(await say(community, "discord", "!give @nobody 5", ada.as("discord"))).toEqual([
      "nobody is not a member here.",
    ]);
    expect(await say(community, "discord", "!give @ada 5", ada.as("discord"))).toEqual([
      "You cannot give points to yourself.",
    ]);
    expect(await pointsOf(community.id, ada.userId)).toBe(60);
    expect(await pointsOf(community.id, bob.userId)).toBe(45);
    const ledger = await env.DB.prepare("SELECT amount FROM loyalty_transfers WHERE community_id = ?")
      .bind(community.id)
      .all();
    expect(ledger.results).toEqual([{ amount: 40 }]);
  });

  it("refuses the currency setting when too long (400) and keeps the old one", async () => {
    const { community, authorization } = await communityWith("loyalty");
    const res = await api("PATCH", `/api/v1/communities/${community.id}/installations/loyalty`, authorization, {
      settings: { currency: "x".repeat(21) },
    });
    expect(res.status).toBe(400);
    await member(community.id, "ada", 1);
    expect(await say(community, "slack", "!top")).toEqual(["Top points: 1. ada (1)"]);
  });
});
