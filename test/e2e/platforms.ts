/**
 * Chat as the platforms send it, for end-to-end tests: each helper signs a real platform
 * request to the local webhooks worker and returns what the bot said back, read from the
 * interaction response or from the local fake platform API.
 */
import { inject } from "vitest";
import { fakeControl } from "../shared/fake-control.ts";
import { twitchChatNotification } from "../shared/payloads.ts";
import { discordHeaders, slackHeaders, twitchHeaders } from "../shared/sign.ts";

const urls = inject("urls");
const vars = inject("vars");
export const fakeUrl = inject("fakePlatformUrl");
export const fake = fakeControl(fakeUrl);

const hook = (path: string, body: string, headers: Record<string, string>) =>
  fetch(`${urls.webhooks}${path}`, { method: "POST", body, headers });

export { snowflake } from "../shared/ids.ts";

import { snowflake } from "../shared/ids.ts";

export interface ChatUser {
  id: string;
  name: string;
}

/** Discord: `/waddlebot command:<text>`; the answer is the interaction response (type 4). */
export async function discordSlash(user: ChatUser, text: string): Promise<string> {
  const body = JSON.stringify({
    id: snowflake(),
    application_id: vars.DISCORD_APPLICATION_ID,
    type: 2,
    token: `tok-${crypto.randomUUID()}`,
    guild_id: vars.DEMO_DISCORD_GUILD_ID,
    channel_id: "900000000000000001",
    member: { user: { id: user.id, username: user.name }, roles: [], permissions: "0" },
    data: { name: "waddlebot", type: 1, options: [{ name: "command", type: 3, value: text }] },
  });
  const res = await hook("/discord/interactions", body, await discordHeaders(vars.TEST_DISCORD_PRIVATE_KEY!, body));
  if (res.status !== 200) throw new Error(`Discord interaction answered ${res.status}`);
  const answer = (await res.json()) as { type: number; data?: { content?: string } };
  if (answer.type === 4) return answer.data?.content ?? "";
  throw new Error(`Discord interaction answered type ${answer.type}`);
}

/** Slack: `/waddlebot <text>`; the answer arrives at the response_url (the fake). */
export async function slackSlash(user: ChatUser, text: string): Promise<string> {
  const responsePath = `/slack-response/${crypto.randomUUID()}`;
  const form = new URLSearchParams({
    team_id: vars.DEMO_SLACK_TEAM_ID!,
    channel_id: "C0E2E",
    user_id: user.id,
    user_name: user.name,
    command: "/waddlebot",
    text,
    response_url: `${fakeUrl}${responsePath}`,
    trigger_id: crypto.randomUUID(),
  }).toString();
  const res = await hook(
    "/slack/commands",
    form,
    await slackHeaders(vars.SLACK_SIGNING_SECRET!, form, undefined, "form"),
  );
  if (res.status !== 200) throw new Error(`Slack command answered ${res.status}`);
  return ((await fake.waitFor(responsePath)).body as { text: string }).text;
}

/** Twitch: a chat line (EventSub channel.chat.message); the answer is a Helix chat message. */
export async function twitchChat(user: ChatUser, text: string): Promise<string> {
  const messageId = crypto.randomUUID();
  const body = twitchChatNotification({
    broadcasterId: vars.DEMO_TWITCH_BROADCASTER_ID!,
    chatterId: user.id,
    login: user.name.toLowerCase(),
    name: user.name,
    messageId,
    text,
  });
  const res = await hook("/twitch/eventsub", body, await twitchHeaders(vars.TWITCH_EVENTSUB_SECRET!, body));
  if (res.status !== 204) throw new Error(`EventSub answered ${res.status}`);
  const sent = await fake.waitFor(
    "/helix/chat/messages",
    (r) => (r.body as { reply_parent_message_id?: string }).reply_parent_message_id === messageId,
  );
  return (sent.body as { message: string }).message;
}

/** The admin API with the seeded admin's key. */
export async function adminApi(method: string, path: string, body?: unknown) {
  const res = await fetch(`${urls.router}${path}`, {
    method,
    headers: { authorization: `Bearer ${inject("adminApiKey")}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { data: unknown; message: string } };
}
