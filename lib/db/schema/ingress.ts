import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, updatedAt } from "./columns.ts";

export const EVENTSUB_STATUSES = ["pending", "enabled", "revoked"] as const;

/**
 * Twitch EventSub subscriptions WaddleBot asked for. A row is written when Helix accepts
 * the subscription (`twitch:subscribe`), confirmed when Twitch's callback verification
 * arrives, and marked revoked (with Twitch's reason) when a revocation arrives.
 */
export const twitchEventSubSubscriptions = sqliteTable(
  "twitch_eventsub_subscriptions",
  {
    /** Twitch's subscription id. */
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    version: text("version").notNull(),
    /** The broadcaster the subscription is about (condition.broadcaster_user_id or to_broadcaster_user_id). */
    broadcasterId: text("broadcaster_id").notNull(),
    condition: text("condition", { mode: "json" }).$type<Record<string, string>>().notNull(),
    status: text("status", { enum: EVENTSUB_STATUSES }).notNull().default("pending"),
    /** Twitch's status on revocation: authorization_revoked, user_removed, notification_failures_exceeded, ... */
    revokedReason: text("revoked_reason"),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("twitch_eventsub_broadcaster").on(t.broadcasterId, t.type)],
);

/** What the queue consumer has done for one event (see `ingress_effects`). */
export const INGRESS_EFFECTS = ["routed", "replies", "enforced", "points", "dead"] as const;
export type IngressEffect = (typeof INGRESS_EFFECTS)[number];

/**
 * Done marks for events taken off the events queue (its consumer is the router's
 * workers/router/src/events/consume.ts). Queues deliver at least once, so a redelivered message
 * reads its marks and skips what is done: the router's answer is kept on the `routed` mark (the
 * router is not asked twice), and the `points` mark is written in the same D1 batch as the
 * points, so points are awarded exactly once. `dead` keeps a dead-lettered event for an operator.
 * Pruned after a few days by the retention job.
 */
export const ingressEffects = sqliteTable(
  "ingress_effects",
  {
    /** `{source}:{delivery id}`: the deduplicator's key for the delivery. */
    eventKey: text("event_key").notNull(),
    effect: text("effect", { enum: INGRESS_EFFECTS }).notNull(),
    /** `routed`: the router's EventOutcome; `dead`: the queued message. */
    data: text("data", { mode: "json" }).$type<unknown>(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.eventKey, t.effect] })],
);
