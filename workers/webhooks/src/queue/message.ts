import * as z from "zod";
import { ChatEventSchema } from "../../../../lib/events/chat-event.ts";

/**
 * The queues in workers/webhooks/wrangler.toml. One `queue()` handler consumes both and tells
 * them apart by name, so keep these equal to the names there.
 */
export const EVENTS_QUEUE = "waddlebot-events";
export const DEAD_LETTER_QUEUE = "waddlebot-events-dlq";

/** One acknowledged event on its way to the router: validated again when it comes off the queue. */
export const QueuedEventSchema = z.object({
  /** `{source}:{delivery id}`, the deduplicator's key: the consumer's marks are keyed by it. */
  key: z.string().min(1).max(200),
  communityId: z.string().min(1).max(64),
  event: ChatEventSchema,
});
export type QueuedEvent = z.infer<typeof QueuedEventSchema>;
