import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
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
