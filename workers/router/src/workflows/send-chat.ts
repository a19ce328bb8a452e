import { NonRetryableError } from "cloudflare:workflows";
import type { Platform } from "../../../../lib/db/schema/index.ts";
import { TEXT_LIMIT } from "../../../../lib/delivery/request.ts";
import { released } from "../../../../lib/rpc.ts";
import type { Env } from "../env.ts";

interface ChatSend {
  communityId: string;
  platform: Platform;
  /** Discord/Slack channel id, Twitch broadcaster id. */
  channel: string;
  message: string;
}

/**
 * The one way a workflow speaks in chat: the delivery service (`DELIVERY.send`, the webhooks
 * worker), which refuses a channel that is not the community's own (the trigger's channel comes
 * from the run's data, which a manual run's caller writes), then queues it in the channel's
 * Outbox with the community's own platform token, send limits and retries. A refusal or a bad
 * message fails the node at once; a full Outbox is retried by the step's policy.
 */
export async function sendChat(env: Pick<Env, "DELIVERY">, send: ChatSend): Promise<{ queued: true }> {
  if (!send.channel) throw new NonRetryableError("chat message: no channel to send to");
  const text = send.message.trim().slice(0, TEXT_LIMIT[send.platform]);
  if (!text) throw new NonRetryableError("chat message: the message is empty");
  const result = released(
    await env.DELIVERY.send({
      communityId: send.communityId,
      platform: send.platform,
      channel: send.channel,
      message: { text },
    }),
  );
  if (result.ok) return { queued: true };
  if (result.error === "full") throw new Error(`chat message: ${result.message}`);
  throw new NonRetryableError(`chat message: ${result.message}`);
}
