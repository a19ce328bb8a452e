import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { commands } from "../../../lib/db/schema/index.ts";
import * as discord from "../../../lib/platforms/discord.ts";
import * as slack from "../../../lib/platforms/slack.ts";
import * as twitch from "../../../lib/platforms/twitch.ts";
import { fakeControl } from "../../../test/shared/fake-control.ts";
import { discordHeaders, slackHeaders } from "../../../test/shared/sign.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { post, vars } from "../../../test/workerd/ingress.ts";
import { relayDiscord, slackId, slackMessage, snowflake } from "./support/moderation.ts";

const fake = fakeControl(env.FAKE_PLATFORM_URL);
const PINGS =
  "@everyone @here <@123456789012345678> <@&223456789012345678> <!channel> <!here> <!everyone> <#C0123> & done";

/** A community with `!echo`, a text command that repeats the caller's words ({args}). */
async function echoCommunity() {
  const community = await createCommunity();
  await createDb(env.DB)
    .insert(commands)
    .values({ communityId: community.id, name: "echo", kind: "text", response: "You said: {args}" });
  return community;
}

describe("mention injection through replies", () => {
  it("answers a Discord interaction inline with allowed_mentions { parse: [] }", async () => {
    const community = await echoCommunity();
    const payload = {
      id: snowflake(),
      application_id: vars.DISCORD_APPLICATION_ID,
      type: 2,
      token: `tok-${crypto.randomUUID()}`,
      guild_id: community.platformIds.discord,
      channel_id: snowflake(),
      member: { user: { id: snowflake(), username: "penguin" }, roles: [], permissions: "0" },
      data: { name: "waddlebot", type: 1, options: [{ name: "command", type: 3, value: `echo ${PINGS}` }] },
    };
    const body = JSON.stringify(payload);
    const res = await post("/discord/interactions", body, await discordHeaders(vars.TEST_DISCORD_PRIVATE_KEY, body));
    expect(await res.json()).toEqual({
      type: 4,
      data: { content: `You said: ${PINGS}`, allowed_mentions: { parse: [] } },
    });
  });

  it("sends a Discord channel reply (relay → outbox) with allowed_mentions { parse: [] }", async () => {
    const community = await echoCommunity();
    const channelId = snowflake();
    expect(
      (await relayDiscord(community.platformIds.discord, channelId, snowflake(), snowflake(), `!echo ${PINGS}`)).status,
    ).toBe(202);
    const sent = await fake.waitFor(`/discord/channels/${channelId}/messages`);
    expect(sent.body).toEqual({ content: `You said: ${PINGS}`, allowed_mentions: { parse: [] } });
  });

  it("escapes Slack control sequences and &<> in a slash command's response_url answer", async () => {
    const community = await echoCommunity();
    const responsePath = `/slack-response/${crypto.randomUUID()}`;
    const form = new URLSearchParams({
      team_id: community.platformIds.slack,
      channel_id: slackId("C"),
      user_id: slackId("U"),
      user_name: "penguin",
      command: "/waddlebot",
      text: `echo ${PINGS}`,
      response_url: `${env.FAKE_PLATFORM_URL}${responsePath}`,
      trigger_id: `${Date.now()}.1`,
    }).toString();
    await post("/slack/commands", form, await slackHeaders(vars.SLACK_SIGNING_SECRET, form, undefined, "form"));
    const reply = await fake.waitFor(responsePath);
    const escaped = `You said: ${slack.escapeSlack(PINGS)}`;
    expect(escaped).not.toMatch(/[<>]/);
    expect(escaped).toContain("&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;#C0123&gt; &amp; done");
    expect(reply.body).toMatchObject({ text: escaped, blocks: [{ type: "section", text: { text: escaped } }] });
  });

  it("escapes them in a Slack channel reply (chat.postMessage through the outbox)", async () => {
    const community = await echoCommunity();
    const channel = slackId("C");
    await slackMessage(community.platformIds.slack, channel, slackId("U"), `${Date.now() / 1000}`, `!echo ${PINGS}`);
    const sent = await fake.waitFor(
      "/slack/chat.postMessage",
      (r) => (r.body as { channel?: string }).channel === channel,
    );
    expect((sent.body as { text: string }).text).toBe(`You said: ${slack.escapeSlack(PINGS)}`);
    expect(JSON.stringify(sent.body)).not.toMatch(/<[!@#]/);
  });
});

describe("ids placed into platform REST paths", () => {
  const attacks = ["1/../../guilds/2/bans/3", "123?with_counts=true", "123#x", "12%2F34", "../users/@me", "", " 123"];

  it("refuses a Discord id that is not a snowflake before anything is sent", async () => {
    const marker = crypto.randomUUID();
    for (const bad of attacks) {
      const calls = [
        discord.sendChannelMessage(vars, bad, { content: marker }),
        discord.deleteMessage(vars, bad, "1", marker),
        discord.deleteMessage(vars, "1", bad, marker),
        discord.timeoutMember(vars, bad, "1", 60, marker),
        discord.timeoutMember(vars, "1", bad, 60, marker),
        discord.banMember(vars, "1", bad, marker),
        discord.sendDirectMessage(vars, bad, { content: marker }),
        discord.editOriginalResponse(vars, bad, "tok", { content: marker }),
        discord.editOriginalResponse(vars, vars.DISCORD_APPLICATION_ID, `${bad}/../x`, { content: marker }),
      ];
      for (const call of calls) await expect(call, bad).rejects.toMatchObject({ name: "PlatformError", status: 400 });
    }
    // Nothing reached the platform: no request carried the marker.
    expect(
      (await fake.requests()).filter((r) => r.raw.includes(marker) || JSON.stringify(r.headers).includes(marker)),
    ).toEqual([]);
  });

  it("refuses a Twitch id that is not numeric (ids go into Helix queries)", async () => {
    for (const bad of ["1&moderator_id=2", "abc", "1 2", ""]) {
      await expect(twitch.banUser(vars, bad, "1")).rejects.toMatchObject({ status: 400 });
      await expect(twitch.banUser(vars, "1", bad)).rejects.toMatchObject({ status: 400 });
      await expect(twitch.sendWhisper(vars, bad, "hi")).rejects.toMatchObject({ status: 400 });
      await expect(twitch.sendChatMessage(vars, bad, "hi")).rejects.toMatchObject({ status: 400 });
      await expect(twitch.deleteChatMessage(vars, "1", `${bad}&x=`)).rejects.toMatchObject({ status: 400 });
    }
  });

  it("still sends to valid ids (the check is not a blanket refusal)", async () => {
    const channelId = snowflake();
    await discord.sendChannelMessage(vars, channelId, { content: "ok" });
    expect((await fake.requests(`/discord/channels/${channelId}/messages`)).map((r) => r.body)).toEqual([
      { content: "ok", allowed_mentions: { parse: [] } },
    ]);
  });
});
