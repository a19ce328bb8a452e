import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fakeControl } from "../../../test/shared/fake-control.ts";
import { eventually } from "../../../test/shared/sign.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
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

describe("moderation actions the platform refuses or cannot do", () => {
  it("Twitch: a 403 on the delete is audited as a failure, and the timeout and the warning still go out", async () => {
    const community = await createCommunity();
    const broadcaster = community.platformIds.twitch;
    const rule = await ruleOn(community.id, "timeout", { durationSec: 60, message: "no spam, {user}" });
    const chatter = twitchId();
    const messageId = crypto.randomUUID();
    await fake.script({
      method: "DELETE",
      path: `message_id=${messageId}`,
      status: 403,
      body: {
        error: "Forbidden",
        status: 403,
        message: "The user in moderator_id is not one of the broadcaster's moderators.",
      },
    });
    expect((await twitchChat(broadcaster, chatter, messageId, "badword")).status).toBe(204);

    const timeout = await fake.waitFor(`/helix/moderation/bans?broadcaster_id=${broadcaster}&`);
    expect(timeout.body).toMatchObject({ data: { user_id: chatter, duration: 60 } });
    const warning = await fake.waitFor(
      "/helix/chat/messages",
      (r) => (r.body as { reply_parent_message_id?: string }).reply_parent_message_id === messageId,
    );
    expect(warning.body).toMatchObject({ broadcaster_id: broadcaster, message: "no spam, Viewer" });
    const rows = (await eventually(() => enforcements(chatter, 2)))!;
    expect(byType(rows, "delete")).toMatchObject({
      outcome: "failure",
      details: { ruleId: rule.id, result: "failed", status: 403, messageId },
    });
    expect(byType(rows, "timeout")?.outcome).toBe("success");
  });

  it("Discord (relay): a 500 on the ban is audited with the platform's status and the warning still goes out", async () => {
    const community = await createCommunity();
    const guild = community.platformIds.discord;
    await ruleOn(community.id, "ban", { message: "bye {user}" });
    const [channelId, userId] = [snowflake(), snowflake()];
    await fake.script({
      method: "PUT",
      path: `/guilds/${guild}/bans/${userId}`,
      status: 500,
      body: { message: "oops" },
    });
    await relayDiscord(guild, channelId, userId, snowflake(), "badword");

    const warning = await fake.waitFor(`/discord/channels/${channelId}/messages`, (r) => r.method === "POST");
    expect(warning.body).toMatchObject({ content: "bye penguin" });
    const [row] = (await eventually(() => enforcements(userId, 1)))!;
    expect(row).toMatchObject({ outcome: "failure", details: { type: "ban", result: "failed", status: 500 } });
  });

  it("Slack: a timeout is recorded as not supported, while the message is still deleted", async () => {
    const community = await createCommunity();
    await ruleOn(community.id, "timeout", { durationSec: 600 });
    const [channel, user] = [slackId("C"), slackId("U")];
    const ts = `${Math.floor(Date.now() / 1000)}.000300`;
    await slackMessage(community.platformIds.slack, channel, user, ts, "badword");

    const rows = (await eventually(() => enforcements(user, 2)))!;
    expect(byType(rows, "delete")?.outcome).toBe("success");
    expect(byType(rows, "timeout")).toMatchObject({
      outcome: "failure",
      details: { result: "unsupported", note: "timeout is not supported on Slack", durationSec: 600 },
    });
    const calls = await fake.requests("/slack/");
    const mine = calls.filter((r) => (r.body as { channel?: string } | undefined)?.channel === channel);
    expect(mine.map((r) => r.path)).toEqual(["/slack/chat.delete"]);
  });

  it("Slack: cant_delete_message (a bot token deleting a member's message) is audited as refused, not a crash", async () => {
    const community = await createCommunity();
    await ruleOn(community.id, "delete", { message: "please keep it clean" });
    const [channel, user] = [slackId("C"), slackId("U")];
    await fake.script({
      path: "/slack/chat.delete",
      status: 200,
      body: { ok: false, error: "cant_delete_message" },
    });
    await slackMessage(
      community.platformIds.slack,
      channel,
      user,
      `${Math.floor(Date.now() / 1000)}.000400`,
      "badword",
    );

    const [row] = (await eventually(() => enforcements(user, 1)))!;
    expect(row).toMatchObject({ outcome: "failure", details: { type: "delete", result: "refused" } });
    const warning = await fake.waitFor(
      "/slack/chat.postMessage",
      (r) => (r.body as { channel?: string }).channel === channel,
    );
    expect(warning.body).toMatchObject({ text: "please keep it clean" });
  });
});
