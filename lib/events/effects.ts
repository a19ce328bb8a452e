import { inArray } from "drizzle-orm";
import { pointsFor } from "../activity/points.ts";
import { createDb } from "../db/client.ts";
import { auditLog, type IngressEffect, ingressEffects } from "../db/schema/index.ts";
import type { ChatEvent } from "./chat-event.ts";
import { pointsBuffer } from "./points-buffer.ts";

export type DoneEffects = Map<IngressEffect, unknown>;

/**
 * The marks already written for the events of one queue batch, with their data (the router's
 * outcome on `routed`), by event key: one read for the batch. A read per message was the largest
 * cost of the queue path in the burst bench (1,751–1,814 → 1,361 µs of workerd CPU per event
 * with the read taken out); a batch holds at most 50 messages, a statement takes 100 values.
 */
export async function doneEffectsOf(d1: D1Database, keys: string[]): Promise<Map<string, DoneEffects>> {
  const done = new Map<string, DoneEffects>(keys.map((k) => [k, new Map()]));
  if (keys.length === 0) return done;
  const rows = await createDb(d1)
    .select({ key: ingressEffects.eventKey, effect: ingressEffects.effect, data: ingressEffects.data })
    .from(ingressEffects)
    .where(inArray(ingressEffects.eventKey, [...new Set(keys)]))
    .all();
  for (const r of rows) done.get(r.key)?.set(r.effect, r.data);
  return done;
}

/** Marks one effect done (a second mark of the same effect is a no-op). */
export async function markDone(d1: D1Database, key: string, effect: IngressEffect, data?: unknown): Promise<void> {
  await createDb(d1)
    .insert(ingressEffects)
    .values({ eventKey: key, effect, data: data ?? null })
    .onConflictDoNothing();
}

/**
 * Awards the event's activity points exactly once, through the isolate's points buffer: many
 * events share one D1 batch, and this resolves only once the batch holding this award has
 * committed. The points and the `points` mark are one transaction, and the points are added
 * only while the mark is absent, so a redelivered event adds nothing.
 */
export async function awardOnce(d1: D1Database, key: string, communityId: string, event: ChatEvent): Promise<void> {
  const points = pointsFor(event);
  if (points === 0) return;
  await pointsBuffer.add(d1, {
    key,
    communityId,
    platform: event.platform,
    platformUserId: event.user.id,
    username: event.user.username,
    points,
  });
}

/**
 * Records a message that will not be processed: the message itself is kept (`dead` mark, for an
 * operator to inspect or replay) and an audit entry says so, in one batch. Throws when D1
 * refuses, so the dead-letter consumer retries rather than dropping it.
 */
export async function recordDead(
  d1: D1Database,
  message: { id: string; body: unknown },
  reason: string,
): Promise<void> {
  const body = (message.body ?? {}) as { key?: unknown; communityId?: unknown; event?: Partial<ChatEvent> };
  const key = typeof body.key === "string" ? body.key : `message:${message.id}`;
  const event = body.event && typeof body.event === "object" ? body.event : {};
  const db = createDb(d1);
  await db.batch([
    db.insert(ingressEffects).values({ eventKey: key, effect: "dead", data: message.body }).onConflictDoNothing(),
    db.insert(auditLog).values({
      actorType: "system",
      action: "ingress.dead_letter",
      communityId: typeof body.communityId === "string" ? body.communityId : null,
      targetType: typeof event.platform === "string" ? event.platform : null,
      targetId: typeof event.id === "string" ? event.id : null,
      outcome: "failure",
      details: { eventKey: key, type: event.type ?? null, reason },
    }),
  ]);
}
