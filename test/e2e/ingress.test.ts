/**
 * The full round trip for each platform, over HTTP against the local system: a request
 * signed exactly as the platform signs it goes in; the reply comes out at the local fake
 * platform API (or, for Discord's inline answer, in the interaction response).
 */
import { describe, expect, inject, it } from "vitest";
import { fakeControl } from "../shared/fake-control.ts";
import { relayDiscordMessage, twitchChatNotification } from "../shared/payloads.ts";
import { discordHeaders, relayHeaders, slackHeaders, twitchHeaders } from "../shared/sign.ts";

const urls = inject("urls");
const vars = inject("vars");
const fake = fakeControl(inject("fakePlatformUrl"));
const hook = (path: string, body: string, headers: Record<string, string>) =>
  fetch(`${urls.webhooks}${path}`, { method: "POST", body, headers });
const id = () => String(Date.now()) + String(Math.floor(Math.random() * 1e6));

describe("platform round trips (signed request in → reply at the platform API out)", () => {
  it("Discord: /waddlebot command:ping is answered in the interaction response", async () => {
    const body = JSON.stringify({
      id: id(),
      application_id: vars.DISCORD_APPLICATION_ID,
      type: 2,
      token: `tok-${crypto.randomUUID()}`,
      guild_id: vars.DEMO_DISCORD_GUILD_ID,
      channel_id: id(),
      member: { user: { id: id(), username: "penguin" }, roles: [], permissions: "8" },
      data: { name: "waddlebot", type: 1, options: [{ name: "command", type: 3, value: "ping" }] },
    });
    const res = await hook("/discord/interactions", body, await discordHeaders(vars.TEST_DISCORD_PRIVATE_KEY!, body));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: 4, data: { content: "pong", allowed_mentions: { parse: [] } } });
  });

  it("Discord (relay): a gateway !ping is answered with a channel message", async () => {
    const channelId = id();
    const body = relayDiscordMessage({ guildId: vars.DEMO_DISCORD_GUILD_ID!, channelId, userId: id(), text: "!ping" });
    expect((await hook("/relay/events", body, await relayHeaders(vars.RELAY_SHARED_SECRET!, body))).status).toBe(202);
    const sent = await fake.waitFor(`/discord/channels/${channelId}/messages`);
    expect(sent.body).toMatchObject({ content: "pong" });
  });

  it("Slack: /waddlebot ping is acknowledged and answered at response_url", async () => {
    const responsePath = `/slack-response/${crypto.randomUUID()}`;
    const form = new URLSearchParams({
      team_id: vars.DEMO_SLACK_TEAM_ID!,
      channel_id: "C0E2E",
      user_id: "U0E2E",
      user_name: "penguin",
      command: "/waddlebot",
      text: "ping",
      response_url: `${inject("fakePlatformUrl")}${responsePath}`,
      trigger_id: crypto.randomUUID(),
    }).toString();
    const res = await hook(
      "/slack/commands",
      form,
      await slackHeaders(vars.SLACK_SIGNING_SECRET!, form, undefined, "form"),
    );
    expect(res.status).toBe(200);
    const reply = await fake.waitFor(responsePath);
    expect(reply.body).toMatchObject({ text: "pong" });
  });

  it("Slack: !ping in a channel is answered with chat.postMessage", async () => {
    const channel = `C${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    const body = JSON.stringify({
      type: "event_callback",
      team_id: vars.DEMO_SLACK_TEAM_ID,
      event_id: `Ev${crypto.randomUUID()}`,
      event: { type: "message", channel, user: "U0E2E", text: "!ping", ts: "1700000000.000100" },
    });
    expect((await hook("/slack/events", body, await slackHeaders(vars.SLACK_SIGNING_SECRET!, body))).status).toBe(200);
    const sent = await fake.waitFor(
      "/slack/chat.postMessage",
      (r) => (r.body as { channel?: string }).channel === channel,
    );
    expect(sent.body).toMatchObject({ text: "pong" });
  });

  it("Slack: an app_mention carrying !ping (Events API, v0 signature) is answered with chat.postMessage", async () => {
    const channel = `C${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    const ts = `${Math.floor(Date.now() / 1000)}.000200`;
    // The shape Slack sends for "@WaddleBot !ping": the bot's own user id in the text and in
    // authorizations (https://api.slack.com/events/app_mention).
    const body = JSON.stringify({
      type: "event_callback",
      team_id: vars.DEMO_SLACK_TEAM_ID,
      api_app_id: "A0E2E",
      event_id: `Ev${crypto.randomUUID()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: vars.DEMO_SLACK_TEAM_ID, user_id: "U0BOT", is_bot: true }],
      event: { type: "app_mention", user: "U0E2E", text: "<@U0BOT> !ping", ts, channel, event_ts: ts },
    });
    expect((await hook("/slack/events", body, await slackHeaders(vars.SLACK_SIGNING_SECRET!, body))).status).toBe(200);
    const sent = await fake.waitFor(
      "/slack/chat.postMessage",
      (r) => (r.body as { channel?: string }).channel === channel,
    );
    expect(sent.body).toMatchObject({ channel, text: "pong" });
    // Sent with the demo workspace's bot token (the local seed).
    expect(sent.headers.authorization).toBe(`Bearer ${vars.SLACK_BOT_TOKEN}`);
  });

  it("Twitch: !ping in chat (channel.chat.message) is answered with a Helix chat message", async () => {
    const messageId = crypto.randomUUID();
    const body = twitchChatNotification({
      broadcasterId: vars.DEMO_TWITCH_BROADCASTER_ID!,
      chatterId: "424242",
      messageId,
      text: "!ping",
    });
    const res = await hook("/twitch/eventsub", body, await twitchHeaders(vars.TWITCH_EVENTSUB_SECRET!, body));
    expect(res.status).toBe(204);
    const sent = await fake.waitFor(
      "/helix/chat/messages",
      (r) => (r.body as { reply_parent_message_id?: string }).reply_parent_message_id === messageId,
    );
    expect(sent.body).toMatchObject({ broadcaster_id: vars.DEMO_TWITCH_BROADCASTER_ID, message: "pong" });
  });
});
