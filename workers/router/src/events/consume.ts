import type { EventOutcome } from "../../../../lib/events/chat-event.ts";
import { awardOnce, type DoneEffects, doneEffectsOf, markDone, recordDead } from "../../../../lib/events/effects.ts";
import { enforceActions } from "../../../../lib/events/enforce.ts";
import { DEAD_LETTER_QUEUE, type QueuedEvent, QueuedEventSchema } from "../../../../lib/events/queued-event.ts";
import { withSlackMember } from "../../../../lib/events/slack-member.ts";
import { log } from "../../../../lib/log.ts";
import { chatTexts, deliverReplies } from "../../../../lib/platforms/deliver.ts";
import type { Deferrer, Env } from "../env.ts";
import { retryDelaySeconds } from "../queue-backoff.ts";
import { handleEvent } from "./handle-event.ts";

/** Waits for all, then throws the first failure: one effect failing never holds back another. */
async function all(steps: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(steps)).find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
}

/**
 * One queued event, idempotently: each effect is skipped when its mark says it is done, so a
 * redelivery after a partial failure finishes the job without a second reply or second points.
 * The router is asked once (its outcome is kept on the `routed` mark); replies and moderation
 * actions go out beside each other; points go alongside the routing, as they did inline.
 */
async function processQueued(
  env: Env,
  ctx: Deferrer,
  { key, communityId, event }: QueuedEvent,
  done: DoneEffects,
): Promise<void> {
  const routeAndDeliver = async () => {
    let outcome = done.get("routed") as EventOutcome | undefined;
    if (!outcome) {
      // The message was validated as it came off the queue and names the community resolved at
      // ingress, so the event is neither parsed nor resolved again; the router's own code runs
      // here, in the consumer's isolate, with no service-binding hop.
      outcome = await handleEvent(env, ctx, await withSlackMember(env, event, communityId), communityId);
      await markDone(env.DB, key, "routed", outcome);
    }
    const steps: Promise<unknown>[] = [];
    if (!done.has("replies") && chatTexts(outcome.replies).texts.length > 0) {
      steps.push(
        deliverReplies(env, event.reply, outcome.replies, communityId).then(() => markDone(env.DB, key, "replies")),
      );
    }
    if (!done.has("enforced") && outcome.actions?.length) {
      steps.push(enforceActions(env, event, outcome, communityId).then(() => markDone(env.DB, key, "enforced")));
    }
    await all(steps);
  };
  await all([routeAndDeliver(), done.has("points") ? Promise.resolve() : awardOnce(env.DB, key, communityId, event)]);
}

/** A message off the events queue, with the marks its event already has: processed and acked, or retried with backoff. */
async function consumeOne(
  env: Env,
  ctx: Deferrer,
  message: Message<unknown>,
  queued: QueuedEvent,
  done: DoneEffects,
): Promise<void> {
  try {
    await processQueued(env, ctx, queued, done);
    message.ack();
  } catch (err) {
    retryOne(env, message, queued.key, err);
  }
}

function retryOne(env: Env, message: Message<unknown>, key: string, err: unknown): void {
  log.error("queued event failed, will retry", { key, attempts: message.attempts, error: err });
  message.retry({ delaySeconds: retryDelaySeconds(env, message.attempts) });
}

/**
 * The events queue's batch: messages that can never succeed are recorded at once (not retried
 * into the dead-letter queue); the others' marks are read in one query, then each is processed
 * on its own and settles on its own. When the read fails, every one is retried.
 */
async function consumeMessages(env: Env, ctx: Deferrer, messages: readonly Message<unknown>[]): Promise<void> {
  const valid: { message: Message<unknown>; queued: QueuedEvent }[] = [];
  const invalid: Promise<void>[] = [];
  for (const message of messages) {
    const parsed = QueuedEventSchema.safeParse(message.body);
    if (parsed.success) valid.push({ message, queued: parsed.data });
    else invalid.push(recordOne(env, message, "invalid message"));
  }
  let done: Map<string, DoneEffects>;
  try {
    done = await doneEffectsOf(
      env.DB,
      valid.map((v) => v.queued.key),
    );
  } catch (err) {
    for (const v of valid) retryOne(env, v.message, v.queued.key, err);
    await Promise.all(invalid);
    return;
  }
  await Promise.all([
    ...invalid,
    ...valid.map((v) => consumeOne(env, ctx, v.message, v.queued, done.get(v.queued.key) ?? new Map())),
  ]);
}

/**
 * A message that will not be processed: recorded, or retried until D1 takes the record. Never
 * throws: a handler that throws has its whole batch retried, acknowledged messages included.
 */
async function recordOne(env: Env, message: Message<unknown>, reason = "retries exhausted"): Promise<void> {
  try {
    await recordDead(env.DB, message, reason);
    log.error("event dead-lettered", { messageId: message.id, reason });
    message.ack();
  } catch (err) {
    log.error("recording a dead letter failed", { messageId: message.id, error: err });
    message.retry({ delaySeconds: 60 });
  }
}

/**
 * The events queue and its dead-letter queue (the router's `queue()` handler tells them from the
 * role-sync queue by name). Messages settle one by one.
 */
export async function consumeEvents(env: Env, ctx: Deferrer, batch: MessageBatch<unknown>): Promise<void> {
  if (batch.queue === DEAD_LETTER_QUEUE) await Promise.all(batch.messages.map((m) => recordOne(env, m)));
  else await consumeMessages(env, ctx, batch.messages);
}
