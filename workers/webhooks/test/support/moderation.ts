/** Signed chat lines from each platform, and the audit rows their moderation leaves. */
import { relayDiscordMessage, twitchChatNotification } from "../../../../test/shared/payloads.ts";
import { relayHeaders, slackHeaders, twitchHeaders } from "../../../../test/shared/sign.ts";
import { createModerationRule } from "../../../../test/workerd/fixtures.ts";
import { auditRows, post, vars } from "../../../../test/workerd/ingress.ts";

export { snowflake, twitchId } from "../../../../test/shared/ids.ts";
export const slackId = (prefix: string) => `${prefix}${crypto.randomUUID().slice(0, 8).toUpperCase()}`;

/** A `contains` rule on "badword" with the given action (the router's own reason: "WaddleBot: <name>"). */
export const ruleOn = (
  communityId: string,
  action: "delete" | "timeout" | "ban",
  actionConfig: { message?: string; durationSec?: number } = {},
) =>
  createModerationRule(communityId, {
    name: `no-${action}`,
    matchType: "contains",
    pattern: "badword",
    action,
    actionConfig,
  });

/** A Twitch EventSub channel.chat.message notification, signed. */
export async function twitchChat(broadcasterId: string, chatter: string, messageId: string, text: string) {
  const body = twitchChatNotification({ broadcasterId, chatterId: chatter, messageId, text });
  return post("/twitch/eventsub", body, await twitchHeaders(vars.TWITCH_EVENTSUB_SECRET, body));
}

/** A Slack `message` event in a channel, signed. */
export async function slackMessage(teamId: string, channel: string, user: string, ts: string, text: string) {
  const body = JSON.stringify({
    type: "event_callback",
    team_id: teamId,
    event_id: `Ev${crypto.randomUUID()}`,
    event: { type: "message", channel, user, text, ts },
  });
  return post("/slack/events", body, await slackHeaders(vars.SLACK_SIGNING_SECRET, body));
}

/** A Discord guild message from the gateway relay, signed. */
export async function relayDiscord(
  guildId: string,
  channelId: string,
  userId: string,
  messageId: string,
  text: string,
) {
  const body = relayDiscordMessage({ guildId, channelId, userId, messageId, text });
  return post("/relay/events", body, await relayHeaders(vars.RELAY_SHARED_SECRET, body));
}

export interface EnforcementRow {
  outcome: string;
  community_id: string;
  details: Record<string, unknown>;
}

/** The `moderation.enforce` audit rows about a user, once there are `count` of them. */
export async function enforcements(userId: string, count: number): Promise<EnforcementRow[] | undefined> {
  const rows = await auditRows("moderation.enforce", userId);
  if (rows.length < count) return undefined;
  return rows.map((r) => ({ ...(r as unknown as EnforcementRow), details: JSON.parse(r.details) }));
}

/** The row about one action type (delete, timeout, ban). */
export const byType = (rows: EnforcementRow[], type: string) => rows.find((r) => r.details.type === type);
