import type { EnqueueStatus, Outbox, OutboxMessage } from "../../durable-objects/outbox.ts";
import { outboxName } from "../../durable-objects/outbox-message.ts";
import { apiBase, type PlatformConfig } from "../config.ts";
import type { BotReply, ReplyHandle } from "../events/chat-event.ts";
import { log } from "../log.ts";
import { released } from "../rpc.ts";
import { type DiscordMessage, editOriginalResponse, NO_MENTIONS } from "./discord.ts";
import { postToResponseUrl, slackBlocks } from "./slack.ts";

interface DeliveryEnv extends PlatformConfig {
  OUTBOX: DurableObjectNamespace<Outbox>;
}

/** Only `chat` replies go to a platform; media, ticker, general and form are for overlays. */
export function chatTexts(replies: BotReply[]): { texts: string[]; ephemeral: boolean } {
  const chat = replies.filter((r): r is Extract<BotReply, { type: "chat" }> => r.type === "chat");
  return { texts: chat.map((r) => r.text), ephemeral: chat.some((r) => r.ephemeral) };
}

/** Several chat replies as one Discord message (2000 characters at most). */
export function discordMessage(replies: BotReply[]): DiscordMessage | null {
  const { texts, ephemeral } = chatTexts(replies);
  if (texts.length === 0) return null;
  // allowed_mentions here too: this message is also the inline (type 4) interaction answer,
  // which does not pass through discord.ts.
  return {
    content: texts.join("\n").slice(0, 2000),
    ...(ephemeral ? { flags: 64 } : {}),
    allowed_mentions: NO_MENTIONS,
  };
}

/**
 * A response_url must point at Slack (or, in tests, the configured Slack API origin): it
 * arrives in a signed request, but a URL we POST to is worth checking twice.
 */
function isSlackResponseUrl(env: PlatformConfig, url: string): boolean {
  try {
    const u = new URL(url);
    return u.origin === "https://hooks.slack.com" || u.origin === new URL(apiBase(env, "SLACK_API_BASE")).origin;
  } catch {
    return false;
  }
}

/**
 * Hands a channel message to its channel's outbox (send limits, retries): the one hand-off, for
 * replies here and for the delivery service (lib/delivery/service.ts), which reads the status.
 */
export async function enqueueOne(
  env: Pick<DeliveryEnv, "OUTBOX">,
  message: OutboxMessage,
): Promise<{ status: EnqueueStatus }> {
  const ns = env.OUTBOX;
  const { status } = released(await ns.get(ns.idFromName(outboxName(message))).enqueue(message));
  return { status };
}

/**
 * Sends the router's chat replies back where the event came from: a Discord interaction's
 * original response (after a deferral), a Slack response_url, or a channel message through
 * the per-channel outbox (Slack chat.postMessage, Twitch Helix chat, Discord channel) — the
 * same Outbox, limits and retries as the delivery service (lib/delivery/service.ts). The
 * target needs no membership check there: a verified event of this community named it.
 */
export async function deliverReplies(
  env: DeliveryEnv,
  handle: ReplyHandle,
  replies: BotReply[],
  communityId?: string,
): Promise<void> {
  const { texts, ephemeral } = chatTexts(replies);
  if (texts.length === 0) return;
  const enqueue = (message: OutboxMessage) => enqueueOne(env, communityId ? { ...message, communityId } : message);
  switch (handle.kind) {
    case "discord_interaction": {
      const msg = discordMessage(replies);
      if (msg) await editOriginalResponse(env, handle.applicationId, handle.token, msg);
      return;
    }
    case "discord_channel":
      for (const text of texts) await enqueue({ platform: "discord", channelId: handle.channelId, text });
      return;
    case "twitch":
      for (const text of texts)
        await enqueue({
          platform: "twitch",
          broadcasterId: handle.broadcasterId,
          text: text.slice(0, 500),
          replyToMessageId: handle.replyToMessageId,
        });
      return;
    case "slack": {
      if (handle.responseUrl && isSlackResponseUrl(env, handle.responseUrl)) {
        const text = texts.join("\n");
        await postToResponseUrl(handle.responseUrl, {
          text,
          blocks: slackBlocks(text),
          response_type: ephemeral ? "ephemeral" : "in_channel",
        });
        return;
      }
      if (handle.responseUrl) log.warn("response_url not on Slack, replying in channel instead");
      for (const text of texts)
        await enqueue({ platform: "slack", channelId: handle.channelId, text, threadTs: handle.threadTs });
      return;
    }
    case "none":
      return;
  }
}
