import { recordAudit } from "../audit.ts";
import { slackBotToken, type TokenEnv, twitchBroadcasterAuth } from "../connections/tokens.ts";
import { log } from "../log.ts";
import * as discord from "../platforms/discord.ts";
import { PlatformError } from "../platforms/http.ts";
import * as slack from "../platforms/slack.ts";
import * as twitch from "../platforms/twitch.ts";
import type { ChatEvent, EventOutcome, ModerationAction } from "./chat-event.ts";

/**
 * A timeout that arrives without a duration still gets one: on Twitch a missing duration
 * means a permanent ban, which is never what "timeout" asked for.
 */
const DEFAULT_TIMEOUT_SEC = 600;

/** What became of one action: carried out, or why not. */
type Result =
  | { result: "done" }
  | { result: "skipped" | "unsupported"; note: string }
  | { result: "refused" | "failed"; status: number; note: string };

const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);

/**
 * The chat message an event is about, where the platform lets a bot delete it: a Discord
 * channel message from the relay (its id on the reply handle, or `data.messageId`), a Twitch
 * chat line (`data.messageId` from EventSub, or the id the reply would thread under), a Slack
 * message (`data.ts`). Interactions and slash commands are not messages: null.
 */
function targetMessage(event: ChatEvent): { channelId: string; messageId: string } | null {
  const data = event.data as { messageId?: unknown; ts?: unknown };
  const r = event.reply;
  let messageId: string | undefined;
  let channelId = event.channel.id;
  if (event.platform === "discord" && r.kind === "discord_channel") {
    messageId = r.messageId ?? str(data.messageId);
    channelId = r.channelId;
  } else if (event.platform === "twitch") {
    messageId = str(data.messageId) ?? (r.kind === "twitch" ? r.replyToMessageId : undefined);
    channelId = event.communityPlatformId;
  } else if (event.platform === "slack" && event.type !== "slash_command") {
    messageId = str(data.ts);
  }
  return messageId && channelId ? { channelId, messageId } : null;
}

/** Carries out one action on the event's platform. Throws a PlatformError when the platform says no. */
async function perform(
  env: TokenEnv,
  event: ChatEvent,
  communityId: string,
  action: ModerationAction,
): Promise<Result> {
  const space = event.communityPlatformId; // guild, broadcaster or team
  const userId = event.user.id;
  const seconds = action.durationSec ?? DEFAULT_TIMEOUT_SEC;
  const message = action.type === "delete" ? targetMessage(event) : null;
  if (action.type === "delete" && !message) return { result: "skipped", note: "the event has no message to delete" };
  // From here on `message` is set exactly when the action is a delete.

  switch (event.platform) {
    case "discord":
      if (message) await discord.deleteMessage(env, message.channelId, message.messageId, action.reason);
      else if (action.type === "timeout") await discord.timeoutMember(env, space, userId, seconds, action.reason);
      else await discord.banMember(env, space, userId, action.reason);
      return { result: "done" };
    case "twitch": {
      // As the broadcaster (their user token, refreshed as needed): Twitch accepts moderation
      // only with a user token whose user is moderator_id.
      const moderator = await twitchBroadcasterAuth(env, { communityId });
      if (message) await twitch.deleteChatMessage(env, space, message.messageId, moderator);
      else if (action.type === "timeout")
        await twitch.banUser(env, space, userId, { durationSec: seconds, reason: action.reason }, moderator);
      else await twitch.banUser(env, space, userId, { reason: action.reason }, moderator);
      return { result: "done" };
    }
    case "slack":
      // A bot token cannot time out or ban workspace members (that is SCIM / Enterprise Grid
      // admin territory), so say so instead of pretending it happened.
      if (!message) return { result: "unsupported", note: `${action.type} is not supported on Slack` };
      try {
        const token = await slackBotToken(env, { communityId });
        await slack.deleteMessage(env, token, message.channelId, message.messageId);
      } catch (err) {
        // Expected with a bot token (it may delete only its own messages): a refusal, not an outage.
        if (err instanceof PlatformError && err.code === "cant_delete_message") {
          return { result: "refused", status: err.status, note: "cant_delete_message (needs an admin user token)" };
        }
        throw err;
      }
      return { result: "done" };
  }
}

/** One action, carried out, logged and audited. Never throws. */
async function enforceOne(env: TokenEnv, event: ChatEvent, communityId: string, action: ModerationAction) {
  let outcome: Result;
  try {
    outcome = await perform(env, event, communityId, action);
  } catch (err) {
    const status = err instanceof PlatformError ? err.status : 0;
    outcome = { result: "failed", status, note: err instanceof Error ? err.message : String(err) };
  }
  const fields = {
    eventId: event.id,
    platform: event.platform,
    type: action.type,
    ruleId: action.ruleId,
    ...outcome,
  };
  if (outcome.result === "done") log.info("moderation action carried out", fields);
  else if (outcome.result === "failed") log.error("moderation action failed", fields);
  else log.warn("moderation action not carried out", fields);

  const message = action.type === "delete" ? targetMessage(event) : null;
  await recordAudit(env.DB, {
    actorType: "system",
    communityId,
    action: "moderation.enforce",
    targetType: event.platform,
    targetId: event.user.id,
    outcome: outcome.result === "done" ? "success" : "failure",
    details: {
      type: action.type,
      ruleId: action.ruleId ?? null,
      eventId: event.id,
      channelId: message?.channelId ?? event.channel.id,
      ...(message ? { messageId: message.messageId } : {}),
      ...(action.type === "timeout" ? { durationSec: action.durationSec ?? DEFAULT_TIMEOUT_SEC } : {}),
      ...(action.reason ? { reason: action.reason } : {}),
      ...outcome,
    },
  });
}

/**
 * Carries out the router's moderation actions (delete, timeout, ban) on the platform the
 * event came from, in order, with the ids the normaliser put on the event. Each action is
 * logged and audited (`moderation.enforce`); one failing never stops the next, and nothing
 * is thrown: this runs in `waitUntil`, after the platform has its acknowledgement.
 */
export async function enforceActions(
  env: TokenEnv,
  event: ChatEvent,
  outcome: EventOutcome,
  communityId = outcome.communityId ?? "",
): Promise<void> {
  for (const action of outcome.actions ?? []) {
    try {
      await enforceOne(env, event, communityId, action);
    } catch (err) {
      log.error("moderation enforcement crashed", { eventId: event.id, type: action.type, error: err });
    }
  }
}
