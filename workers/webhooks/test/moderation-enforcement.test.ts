import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { enforceActions } from "../../../lib/events/enforce.ts";
import { fakeControl } from "../../../test/shared/fake-control.ts";
import { eventually } from "../../../test/shared/sign.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { vars } from "../../../test/workerd/ingress.ts";
import {
  byType,
  enforcements,
  relayDiscord,
  ruleOn,
  slackId,
  slackMessage,
  snowflake,
  twitchChat,
  twitchId,
} from "./support/moderation.ts";

const fake = fakeControl(env.FAKE_PLATFORM_URL);

describe("moderation actions reach the platform", () => {
  it("Twitch: a timeout rule deletes the chat line and times the chatter out through Helix, as the bot", async () => {
    const community = await createCommunity();
    const broadcaster = community.platformIds.twitch;
    const rule = await ruleOn(community.id, "timeout", { durationSec: 300 });
    const chatter = twitchId();
    const messageId = crypto.randomUUID();
    expect((await twitchChat(broadcaster, chatter, messageId, "buy badword now")).status).toBe(204);

    const deleted = await fake.waitFor(`/helix/moderation/chat?broadcaster_id=${broadcaster}&`);
    expect(deleted.method).toBe("DELETE");
    const q = new URLSearchParams(deleted.path.split("?")[1]);
    expect(Object.fromEntries(q)).toEqual({
      broadcaster_id: broadcaster,
      moderator_id: vars.TWITCH_BOT_USER_ID,
      message_id: messageId,
    });
    const timeout = await fake.waitFor(`/helix/moderation/bans?broadcaster_id=${broadcaster}&`);
    expect(timeout.method).toBe("POST");
    expect(timeout.path).toContain(`moderator_id=${vars.TWITCH_BOT_USER_ID}`);
    expect(timeout.body).toEqual({ data: { user_id: chatter, duration: 300, reason: "WaddleBot: no-timeout" } });

    const rows = (await eventually(() => enforcements(chatter, 2)))!;
    expect(rows.map((r) => r.outcome)).toEqual(["success", "success"]);
    expect(byType(rows, "timeout")?.details).toMatchObject({ ruleId: rule.id, durationSec: 300, result: "done" });
    expect(byType(rows, "delete")?.details).toMatchObject({ ruleId: rule.id, messageId, result: "done" });
    expect(rows[0]?.community_id).toBe(community.id);
  });

  it("Twitch: a ban rule bans the chatter with no duration", async () => {
    const community = await createCommunity();
    const broadcaster = community.platformIds.twitch;
    await ruleOn(community.id, "ban");
    const chatter = twitchId();
    await twitchChat(broadcaster, chatter, crypto.randomUUID(), "badword");
    const ban = await fake.waitFor(`/helix/moderation/bans?broadcaster_id=${broadcaster}&`);
    expect(ban.body).toEqual({ data: { user_id: chatter, reason: "WaddleBot: no-ban" } });
    expect((await eventually(() => enforcements(chatter, 1)))?.map((r) => r.details.type)).toEqual(["ban"]);
  });

  it("Slack: a delete rule removes the message with chat.delete {channel, ts} and still sends the warning", async () => {
    const community = await createCommunity();
    await ruleOn(community.id, "delete", { message: "{user}, watch your language" });
    const channel = slackId("C");
    const user = slackId("U");
    const ts = `${Math.floor(Date.now() / 1000)}.000200`;
    expect((await slackMessage(community.platformIds.slack, channel, user, ts, "what a badword")).status).toBe(200);
    const deleted = await fake.waitFor(
      "/slack/chat.delete",
      (r) => (r.body as { channel?: string }).channel === channel,
    );
    expect(deleted.body).toEqual({ channel, ts });
    expect(deleted.headers.authorization).toBe(`Bearer ${vars.SLACK_BOT_TOKEN}`);
    const warning = await fake.waitFor(
      "/slack/chat.postMessage",
      (r) => (r.body as { channel?: string }).channel === channel,
    );
    expect(warning.body).toMatchObject({ text: `${user}, watch your language` });
    expect((await eventually(() => enforcements(user, 1)))?.[0]).toMatchObject({
      outcome: "success",
      details: { type: "delete", messageId: ts, channelId: channel },
    });
  });

  it("Discord (relay): a timeout rule deletes the message with an audit-log reason and times the member out", async () => {
    const community = await createCommunity();
    const guild = community.platformIds.discord;
    await ruleOn(community.id, "timeout", { durationSec: 120 });
    const [channelId, userId, messageId] = [snowflake(), snowflake(), snowflake()];
    const before = Date.now();
    expect((await relayDiscord(guild, channelId, userId, messageId, "badword!")).status).toBe(202);

    const deleted = await fake.waitFor(`/discord/channels/${channelId}/messages/${messageId}`);
    expect(deleted.method).toBe("DELETE");
    expect(deleted.headers["x-audit-log-reason"]).toBe(encodeURIComponent("WaddleBot: no-timeout"));
    expect(deleted.headers.authorization).toBe(`Bot ${vars.DISCORD_BOT_TOKEN}`);
    const patched = await fake.waitFor(`/discord/guilds/${guild}/members/${userId}`);
    expect(patched.method).toBe("PATCH");
    const until = Date.parse((patched.body as { communication_disabled_until: string }).communication_disabled_until);
    expect(until).toBeGreaterThanOrEqual(before + 120_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 120_000);
    expect((await eventually(() => enforcements(userId, 2)))?.every((r) => r.outcome === "success")).toBe(true);
  });

  it("Discord (relay): a ban rule bans the member from the guild", async () => {
    const community = await createCommunity();
    const guild = community.platformIds.discord;
    await ruleOn(community.id, "ban");
    const userId = snowflake();
    await relayDiscord(guild, snowflake(), userId, snowflake(), "badword");
    const ban = await fake.waitFor(`/discord/guilds/${guild}/bans/${userId}`);
    expect(ban.method).toBe("PUT");
    expect(ban.headers["x-audit-log-reason"]).toBe(encodeURIComponent("WaddleBot: no-ban"));
  });

  it("Discord interaction: there is no message to delete, so the delete is skipped and the timeout still applies", async () => {
    const community = await createCommunity();
    const guild = community.platformIds.discord;
    const userId = snowflake();
    await enforceActions(
      env,
      {
        id: snowflake(),
        platform: "discord",
        type: "slash_command",
        communityPlatformId: guild,
        channel: { id: snowflake() },
        user: { id: userId, username: "penguin", roles: [], badges: [] },
        text: "!badword",
        data: {},
        reply: { kind: "discord_interaction", applicationId: "1", interactionId: "2", token: "t" },
        receivedAt: new Date().toISOString(),
      },
      {
        status: "moderated",
        replies: [],
        actions: [
          { type: "delete", reason: "r", ruleId: "rule-1" },
          { type: "timeout", durationSec: 60, reason: "r", ruleId: "rule-1" },
        ],
      },
      community.id,
    );
    expect((await fake.requests(`/discord/guilds/${guild}/members/${userId}`)).map((r) => r.method)).toEqual(["PATCH"]);
    const rows = (await enforcements(userId, 2))!;
    expect(byType(rows, "delete")).toMatchObject({ outcome: "failure", details: { result: "skipped" } });
    expect(byType(rows, "timeout")).toMatchObject({ outcome: "success", details: { durationSec: 60 } });
  });
});
