import { NonRetryableError } from "cloudflare:workflows";
import type { Platform } from "../../../../lib/db/schema/index.ts";
import { channelText } from "../../../../lib/delivery/request.ts";
import { enqueueOne } from "../../../../lib/platforms/deliver.ts";
import type { Env } from "../env.ts";

export interface ChatSend {
  communityId: string;
  platform: Platform;
  /** Discord/Slack channel id, Twitch broadcaster id. */
  channel: string;
  message: string;
}

/**
 * The one way a workflow speaks in chat. Today it hands the message to the per-channel Outbox
 * of the webhooks worker (send limits, retries), exactly as replies to events go out; it is
 * the single seam to swap for the delivery service (`env.DELIVERY.send(...)`, which adds the
 * community's own platform token) once that exists.
 */
export async function sendChat(env: Env, send: ChatSend): Promise<{ queued: true }> {
  if (!send.channel) throw new NonRetryableError("chat message: no channel to send to");
  const text = send.message.trim();
  if (!text) throw new NonRetryableError("chat message: the message is empty");
  // With the community: its own platform token is used and a disconnected platform is refused.
  await enqueueOne(env, channelText(send.communityId, send.platform, send.channel, text));
  return { queued: true };
}
