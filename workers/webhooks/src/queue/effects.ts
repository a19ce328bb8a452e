import { and, eq } from "drizzle-orm";
import { activityPoints } from "../../../../lib/activity/points.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { auditLog, type IngressEffect, ingressEffects } from "../../../../lib/db/schema/index.ts";
import type { ChatEvent } from "../../../../lib/events/chat-event.ts";
import { awardPointsStatement, ensurePlatformUser } from "../../../../lib/identity/platform-users.ts";
import { ANONYMOUS } from "../ingest.ts";

/** The marks already written for an event, with their data (the router's outcome on `routed`). */
export async function doneEffects(d1: D1Database, key: string): Promise<Map<IngressEffect, unknown>> {
  const rows = await createDb(d1)
    .select({ effect: ingressEffects.effect, data: ingressEffects.data })
    .from(ingressEffects)
    .where(eq(ingressEffects.eventKey, key))
    .all();
  return new Map(rows.map((r) => [r.effect, r.data]));
}

/** Marks one effect done (a second mark of the same effect is a no-op). */
export async function markDone(d1: D1Database, key: string, effect: IngressEffect, data?: unknown): Promise<void> {
  await createDb(d1)
    .insert(ingressEffects)
    .values({ eventKey: key, effect, data: data ?? null })
    .onConflictDoNothing();
}

/**
 * Awards the event's activity points exactly once. The `points` mark and the points are one D1
 * batch (a transaction): a delivery that finds the mark already there fails on its primary key
 * and rolls its points back with it.
 */
export async function awardOnce(d1: D1Database, key: string, communityId: string, event: ChatEvent): Promise<void> {
  const points = activityPoints(event.platform, event.type, event.data);
  if (points === 0 || event.user.id === ANONYMOUS) return;
  const userId = await ensurePlatformUser(d1, event.platform, event.user.id, event.user.username);
  const db = createDb(d1);
  try {
    await db.batch([
      db.insert(ingressEffects).values({ eventKey: key, effect: "points" }),
      awardPointsStatement(db, communityId, userId, points),
    ]);
  } catch (err) {
    const marked = await db
      .select({ effect: ingressEffects.effect })
      .from(ingressEffects)
      .where(and(eq(ingressEffects.eventKey, key), eq(ingressEffects.effect, "points")))
      .get();
    if (!marked) throw err;
  }
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
