/**
 * Cross-platform identity linking, end to end through the platforms: a Twitch viewer asks to
 * link their Discord account in Twitch chat, the code arrives by Discord DM (at the local fake
 * Discord), they read it there and type `!verify CODE` back in Twitch chat (the identity that
 * asked answers: that proves it reads the Discord account's DMs), and from then on one user
 * holds both accounts, with the activity points of both.
 */
import { describe, expect, inject, it } from "vitest";
import { relayDiscordMessage } from "../shared/payloads.ts";
import { relayHeaders, twitchHeaders } from "../shared/sign.ts";
import { adminApi, fake, snowflake, twitchChat } from "./platforms.ts";

const urls = inject("urls");
const vars = inject("vars");
const community = inject("demoCommunityId");
const hook = (path: string, body: string, headers: Record<string, string>) =>
  fetch(`${urls.webhooks}${path}`, { method: "POST", body, headers });

/** A Twitch follow (10 points) through EventSub. */
async function twitchFollow(user: { id: string; name: string }) {
  const body = JSON.stringify({
    subscription: { id: crypto.randomUUID(), status: "enabled", type: "channel.follow", version: "2", condition: {} },
    event: {
      broadcaster_user_id: vars.DEMO_TWITCH_BROADCASTER_ID,
      broadcaster_user_login: "demo",
      broadcaster_user_name: "Demo",
      user_id: user.id,
      user_login: user.name.toLowerCase(),
      user_name: user.name,
      followed_at: new Date().toISOString(),
    },
  });
  expect((await hook("/twitch/eventsub", body, await twitchHeaders(vars.TWITCH_EVENTSUB_SECRET!, body))).status).toBe(
    204,
  );
}

/** A Discord guild message (5 points) through the gateway relay; returns the bot's channel reply. */
async function discordSays(user: { id: string; name: string }, text: string, expectReply = true) {
  const channelId = snowflake();
  const body = relayDiscordMessage({
    guildId: vars.DEMO_DISCORD_GUILD_ID!,
    channelId,
    userId: user.id,
    username: user.name,
    text,
  });
  expect((await hook("/relay/events", body, await relayHeaders(vars.RELAY_SHARED_SECRET!, body))).status).toBe(202);
  if (!expectReply) return "";
  const sent = await fake.waitFor(`/discord/channels/${channelId}/messages`);
  return (sent.body as { content: string }).content;
}

type Member = { userId: string; displayName: string; points: number };
async function members(): Promise<Member[]> {
  const res = await adminApi("GET", `/api/v1/communities/${community}/members`);
  expect(res.status).toBe(200);
  return res.body.data as Member[];
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`condition not reached: ${JSON.stringify(await read()).slice(-600)}`);
}

describe("linking a Twitch account to a Discord account, through the platforms", () => {
  it("code by Discord DM, !verify back in Twitch, one user with both accounts and both points", async () => {
    const suffix = crypto.randomUUID().slice(0, 6);
    const viewer = { id: String(Math.floor(Math.random() * 1e9)), name: `viewer${suffix}` };
    const discord = { id: snowflake(), name: `viewer_${suffix}` };

    await twitchFollow(viewer);
    await discordSays(discord, "hello everyone", false);
    const before = await until(
      members,
      (m) =>
        m.some((x) => x.displayName === viewer.name && x.points === 10) &&
        m.some((x) => x.displayName === discord.name && x.points === 5),
    );
    expect(before.filter((m) => [viewer.name, discord.name].includes(m.displayName))).toHaveLength(2);

    const answer = await twitchChat(viewer, `!identity link discord ${discord.id}`);
    expect(answer).toContain("!verify");
    const dm = await fake.waitFor(`/discord/channels/dm-${discord.id}/messages`);
    const code = (dm.body as { content: string }).content.match(/code is ([A-Z0-9]{6})\b/)?.[1];
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);

    // The target typing the code links nothing (a stranger could have asked for it)...
    expect(await discordSays(discord, `!verify ${code}`)).toContain("no pending link code");
    // ...the requester typing it back does.
    expect(await twitchChat(viewer, `!verify ${code}`)).toContain("Linked");

    // One member now, with at least 10 + 5 points.
    const after = await until(
      members,
      (m) => m.filter((x) => [viewer.name, discord.name].includes(x.displayName)).length === 1,
    );
    const merged = after.find((x) => [viewer.name, discord.name].includes(x.displayName))!;
    expect(merged.points).toBeGreaterThanOrEqual(15);
    expect(await twitchChat(viewer, "!identity")).toContain(discord.name);
  });
});
