import * as z from "zod";
import type { OutboxMessage } from "../../durable-objects/outbox-message.ts";
import { DiscordComponentsSchema, escapeSlackBlocks, SlackBlocksSchema } from "./rich.ts";

/** The longest text each platform takes in one message. */
export const TEXT_LIMIT = { discord: 2000, slack: 4000, twitch: 500 } as const;

const PlatformId = z.string().min(1).max(64);

/**
 * `DELIVERY.send(…)`: one message from a community to one of its channels (`channel`: Discord or
 * Slack channel id, Twitch broadcaster id) or one person (`user`: a Discord DM, Slack DM or
 * Twitch whisper). Rich parts: Discord `components`, Slack `blocks` (lib/delivery/rich.ts).
 *
 * `communityId` may be left out only for an instance message to a person (a link code from the
 * identity worker to an account that may be in no community yet): it comes from the instance's
 * own bot and no community's rule applies. With a community, the person must belong to it.
 */
export const DeliveryRequestSchema = z
  .strictObject({
    communityId: z.uuid().optional(),
    platform: z.enum(["discord", "slack", "twitch"]),
    channel: PlatformId.optional(),
    user: PlatformId.optional(),
    message: z.strictObject({
      text: z.string().trim().min(1).max(4000),
      components: DiscordComponentsSchema.optional(),
      blocks: SlackBlocksSchema.optional(),
      /** Slack: reply in this thread. */
      threadTs: z.string().max(64).optional(),
    }),
  })
  .superRefine((r, ctx) => {
    const issue = (message: string, path: (string | number)[]) => ctx.addIssue({ code: "custom", message, path });
    if (!!r.channel === !!r.user) issue("name exactly one target: channel or user", ["channel"]);
    if (r.message.text.length > TEXT_LIMIT[r.platform]) {
      issue(`${r.platform} takes at most ${TEXT_LIMIT[r.platform]} characters`, ["message", "text"]);
    }
    if (r.message.components && r.platform !== "discord") issue("components are Discord's", ["message", "components"]);
    if (r.message.blocks && r.platform !== "slack") issue("blocks are Slack's", ["message", "blocks"]);
    if (r.message.threadTs && r.platform !== "slack") issue("threadTs is Slack's", ["message", "threadTs"]);
    if (!r.communityId && r.channel) issue("communityId is required for a channel message", ["communityId"]);
  });
export type DeliveryRequest = z.infer<typeof DeliveryRequestSchema>;

/** The Outbox's form of a validated request (Slack mrkdwn escaped here, once, before it is stored). */
export function toOutboxMessage(r: DeliveryRequest): OutboxMessage {
  const base = r.communityId ? { communityId: r.communityId } : {};
  const { text } = r.message;
  if (r.platform === "discord") {
    return {
      ...base,
      platform: "discord",
      ...(r.user ? { userId: r.user } : { channelId: r.channel! }),
      text,
      ...(r.message.components ? { components: r.message.components } : {}),
    };
  }
  if (r.platform === "slack") {
    return {
      ...base,
      platform: "slack",
      ...(r.user ? { userId: r.user } : { channelId: r.channel! }),
      text,
      ...(r.message.threadTs ? { threadTs: r.message.threadTs } : {}),
      ...(r.message.blocks ? { blocks: escapeSlackBlocks(r.message.blocks) } : {}),
    };
  }
  return { ...base, platform: "twitch", ...(r.user ? { userId: r.user } : { broadcasterId: r.channel! }), text };
}
