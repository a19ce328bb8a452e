import * as z from "zod";
import { ChatEventSchema } from "./chat-event.ts";

/**
 * The events queue and its dead-letter queue: the webhooks worker produces (workers/webhooks/
 * wrangler.toml), the router consumes both (wrangler.toml at the root). Its one `queue()` handler
 * also consumes the role-sync queue and tells them apart by name, so keep these equal to the
 * names in the configs (test/build/deploy.test.ts checks).
 */
export const EVENTS_QUEUE = "waddlebot-events";
export const DEAD_LETTER_QUEUE = "waddlebot-events-dlq";

/** A batch from the events queue or its dead-letter queue (not the role-sync queue). */
export const isEventsQueue = (queue: string) => queue === EVENTS_QUEUE || queue === DEAD_LETTER_QUEUE;

/** One acknowledged event on its way to the router: validated again when it comes off the queue. */
export const QueuedEventSchema = z.object({
  /** `{source}:{delivery id}`, the deduplicator's key: the consumer's marks are keyed by it. */
  key: z.string().min(1).max(200),
  communityId: z.string().min(1).max(64),
  event: ChatEventSchema,
});
export type QueuedEvent = z.infer<typeof QueuedEventSchema>;
