/**
 * Chat typed into the demo community (or another local system's), the way the platforms send it:
 * a signed Slack Events API message, or a Discord message through the gateway relay's contract.
 * Each resolves with the bot's answer in that message's own channel (a fresh one per call, so
 * answers never mix between tests or files sharing the system).
 */
import { expect, inject } from "vitest";
import { relayDiscordMessage } from "../shared/payloads.ts";
import { relayHeaders, slackHeaders } from "../shared/sign.ts";
import { fake, snowflake } from "./platforms.ts";

/** The system spoken to: the shared e2e system unless a test started its own. */
export interface ChatSystem {
  webhooks: string;
  vars: Record<string, string | undefined>;
}

const shared = (): ChatSystem => ({ webhooks: inject("urls").webhooks, vars: inject("vars") });

/** A signed Slack channel message from `user`; resolves with the bot's chat.postMessage text. */
export async function slackSays(text: string, opts: { user?: string; system?: ChatSystem } = {}): Promise<string> {
  const { webhooks, vars } = opts.system ?? shared();
  const channel = `C${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
  const user = opts.user ?? `U0${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
  const body = JSON.stringify({
    type: "event_callback",
    team_id: vars.DEMO_SLACK_TEAM_ID,
    event_id: `Ev${crypto.randomUUID()}`,
    event: { type: "message", channel, user, text, ts: `${Date.now() / 1000}` },
  });
  const res = await fetch(`${webhooks}/slack/events`, {
    method: "POST",
    body,
    headers: await slackHeaders(vars.SLACK_SIGNING_SECRET!, body),
  });
  expect(res.status).toBe(200);
  const sent = await fake.waitFor(
    "/slack/chat.postMessage",
    (r) => (r.body as { channel?: string }).channel === channel,
  );
  return (sent.body as { text: string }).text;
}

/** A Discord guild message through the relay contract; resolves with the bot's channel reply. */
export async function relaySays(
  text: string,
  opts: { user?: { id: string; isModerator?: boolean }; system?: ChatSystem } = {},
): Promise<string> {
  const { webhooks, vars } = opts.system ?? shared();
  const user = opts.user ?? { id: snowflake() };
  const channelId = snowflake();
  const event = JSON.parse(
    relayDiscordMessage({
      guildId: vars.DEMO_DISCORD_GUILD_ID!,
      channelId,
      userId: user.id,
      username: "relayed",
      text,
    }),
  );
  const body = JSON.stringify(
    user.isModerator === undefined ? event : { ...event, user: { ...event.user, isModerator: user.isModerator } },
  );
  const res = await fetch(`${webhooks}/relay/events`, {
    method: "POST",
    body,
    headers: await relayHeaders(vars.RELAY_SHARED_SECRET!, body),
  });
  expect(res.status).toBe(202);
  return ((await fake.waitFor(`/discord/channels/${channelId}/messages`)).body as { content: string }).content;
}
