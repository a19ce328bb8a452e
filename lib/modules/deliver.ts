import { TEXT_LIMIT } from "../delivery/request.ts";
import type { DeliveryBinding } from "../rpc.ts";
import { released } from "../rpc.ts";

/** Where a proactive message goes: a community's channel on one platform. */
export interface ChatTarget {
  communityId: string;
  platform: "discord" | "twitch" | "slack";
  channelId: string;
}

/** What sendChat needs of a worker's env: the delivery service binding. */
export interface ModuleDeliveryEnv {
  DELIVERY: DeliveryBinding;
}

/**
 * The ONE way the first-party modules speak without an incoming event (reminders, timers): the
 * delivery service (`DELIVERY.send`, the webhooks worker). It refuses a channel that is not the
 * community's own, then queues the message in the channel's Outbox (send limits, retries) with the
 * community's own platform token. The text is cut to the platform's length here. Throws when the
 * message was not queued (refused, invalid, failed, the Outbox full), naming why.
 */
export async function sendChat(env: ModuleDeliveryEnv, target: ChatTarget, text: string): Promise<void> {
  const result = released(
    await env.DELIVERY.send({
      communityId: target.communityId,
      platform: target.platform,
      channel: target.channelId,
      message: { text: text.slice(0, TEXT_LIMIT[target.platform]) },
    }),
  );
  if (!result.ok) throw new Error(`not delivered (${result.error}): ${result.message}`);
}
