import { channelText } from "../delivery/request.ts";
import { type DeliveryEnv, enqueueOne } from "../platforms/deliver.ts";

/** Where a proactive message goes: a community's channel on one platform. */
export interface ChatTarget {
  communityId: string;
  platform: "discord" | "twitch" | "slack";
  channelId: string;
}

/**
 * The ONE way the first-party modules speak without an incoming event (reminders, timers).
 * Today it hands the message to the channel's Outbox (send limits, retries), as
 * lib/platforms/deliver.ts does; when the delivery service lands (`env.DELIVERY.send({
 * communityId, platform, channel, message })`, which also picks the community's own platform
 * token) only this function changes.
 */
export async function sendChat(env: Pick<DeliveryEnv, "OUTBOX">, target: ChatTarget, text: string): Promise<void> {
  // With its community: the community's own platform token, and nothing if it has disconnected.
  return enqueueOne(env as DeliveryEnv, channelText(target.communityId, target.platform, target.channelId, text));
}
