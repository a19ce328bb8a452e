import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, updatedAt } from "../../../../lib/db/schema/columns.ts";
import { communities } from "../../../../lib/db/schema/communities.ts";

export const CALENDAR_STATUSES = ["pending", "approved", "rejected"] as const;
export type CalendarStatus = (typeof CALENDAR_STATUSES)[number];

/** A chat channel an event was talked about in: its reminder is posted there. */
export interface CalendarChannel {
  platform: "discord" | "twitch" | "slack";
  channelId: string;
}

/**
 * A community's events, numbered per community from 1 (`!event approve 3`; the next number is one
 * past the highest kept, so a number comes back only after every later event was pruned). A
 * member's proposal waits as `pending` until a moderator approves or rejects it.
 */
export const calendarEvents = sqliteTable(
  "calendar_events",
  {
    id: id(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    startsAt: integer("starts_at", { mode: "timestamp_ms" }).notNull(),
    endsAt: integer("ends_at", { mode: "timestamp_ms" }).notNull(),
    status: text("status", { enum: CALENDAR_STATUSES }).notNull().default("pending"),
    /** Who proposed it: the platform user (the owner may remove it) and the name shown. */
    proposedByPlatform: text("proposed_by_platform").notNull(),
    proposedById: text("proposed_by_id").notNull(),
    proposedBy: text("proposed_by").notNull(),
    decidedBy: text("decided_by"),
    /** The zone it was written in (how chat and the reminder show its time). */
    timeZone: text("time_zone").notNull().default("UTC"),
    /** Minutes before the start the reminder is posted (0: none), fixed when it is proposed. */
    remindBeforeMin: integer("remind_before_min").notNull().default(15),
    /** Where the reminder goes: the channels it was proposed, approved or RSVP'd in (a few at most). */
    channels: text("channels", { mode: "json" }).$type<CalendarChannel[]>().notNull().default([]),
    /** Bumped on every change the feed shows (iCal SEQUENCE). */
    sequence: integer("sequence").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("calendar_events_number").on(t.communityId, t.number),
    index("calendar_events_upcoming").on(t.communityId, t.status, t.startsAt),
  ],
);

/** Who is going: one row per platform user per event (`!rsvp 3`; `!rsvp 3 no` deletes it). */
export const calendarRsvps = sqliteTable(
  "calendar_rsvps",
  {
    eventId: text("event_id")
      .notNull()
      .references(() => calendarEvents.id, { onDelete: "cascade" }),
    platform: text("platform").notNull(),
    userId: text("user_id").notNull(),
    username: text("username").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.platform, t.userId] })],
);

/**
 * The community's iCal feed URL token: looked up by its SHA-256, and kept sealed (AES-GCM,
 * lib/crypto/secret-box.ts) so the portal can show the URL again; never stored in clear.
 */
export const calendarFeeds = sqliteTable("calendar_feeds", {
  communityId: text("community_id")
    .primaryKey()
    .references(() => communities.id, { onDelete: "cascade" }),
  tokenHash: text("token_hash").notNull().unique(),
  tokenSealed: text("token_sealed").notNull(),
  createdAt: createdAt(),
  rotatedAt: integer("rotated_at", { mode: "timestamp_ms" }),
});
