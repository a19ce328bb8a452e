/**
 * The router's `queue()` handler driven the way the broker drives it (router project tests):
 * a batch, each message on a given attempt; returns what was acknowledged and retried.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { EVENTS_QUEUE, type QueuedEvent } from "../../lib/events/queued-event.ts";
import Router from "../../workers/router/src/index.ts";

type Delivery = { id: string; body: unknown; attempts?: number };

/** A batch, as built, to the router's queue() handler. */
export async function routerQueue(batch: MessageBatch<unknown>) {
  const ctx = createExecutionContext();
  await new Router(ctx, env as never).queue(batch);
  return getQueueResult(batch, ctx);
}

/** One broker batch of `queue`; each message on its own attempt or on `attempts`. */
const deliverBatch = (queue: string, messages: Delivery[], attempts = 1) =>
  routerQueue(
    createMessageBatch(
      queue,
      messages.map((m) => ({ id: m.id, timestamp: new Date(), attempts: m.attempts ?? attempts, body: m.body })),
    ),
  );

/** One message, on attempt `attempts`. */
export const deliver = (queue: string, id: string, body: unknown, attempts: number) =>
  deliverBatch(queue, [{ id, body }], attempts);

export const deliverEvents = (messages: { id: string; body: QueuedEvent }[], attempts = 1) =>
  deliverBatch(EVENTS_QUEUE, messages, attempts);
