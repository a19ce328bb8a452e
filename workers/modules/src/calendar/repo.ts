/** The calendar's data access: events by number, the upcoming list, decisions, RSVPs, reminders. */
import { and, asc, eq, getTableColumns, gte, lt, or, sql } from "drizzle-orm";
import type { Database } from "../../../../lib/db/client.ts";
import { log } from "../../../../lib/log.ts";
import { showWhen } from "../../../../lib/modules/calendar-time.ts";
import { type Env, schedulerFor } from "../env.ts";
import { type CalendarChannel, calendarEvents, calendarRsvps } from "./schema.ts";

export type CalendarEvent = typeof calendarEvents.$inferSelect;

/** One event as chat shows it: `#3 Movie night, Fri 5 Dec 20:00 CET`. */
export const eventLine = (e: Pick<CalendarEvent, "number" | "title" | "startsAt" | "timeZone">) =>
  `#${e.number} ${e.title}, ${showWhen(e.startsAt.getTime(), e.timeZone)}`;

/** How long an event is kept after it ended, and a rejected proposal after its rejection. */
const KEEP_ENDED_MS = 90 * 86_400_000;
const KEEP_REJECTED_MS = 7 * 86_400_000;

/**
 * Drops the community's events that ended long ago and proposals rejected a while ago, so the
 * table stays bounded (the caps count events that have not ended; this clears the rest). Run
 * before each proposal: one indexed delete per community that is adding events anyway.
 */
export const pruneEvents = (db: Database, communityId: string, now: number) =>
  db
    .delete(calendarEvents)
    .where(
      and(
        eq(calendarEvents.communityId, communityId),
        or(
          lt(calendarEvents.endsAt, new Date(now - KEEP_ENDED_MS)),
          and(eq(calendarEvents.status, "rejected"), lt(calendarEvents.updatedAt, new Date(now - KEEP_REJECTED_MS))),
        ),
      ),
    );

/** Channels one event remembers for its reminder (proposed, approved, RSVP'd in). */
const MAX_CHANNELS = 5;

export const findEvent = (db: Database, communityId: string, number: number) =>
  db
    .select()
    .from(calendarEvents)
    .where(and(eq(calendarEvents.communityId, communityId), eq(calendarEvents.number, number)))
    .get();

export const goingCount = async (db: Database, eventId: string) =>
  (await db.select({ n: sql<number>`count(*)` }).from(calendarRsvps).where(eq(calendarRsvps.eventId, eventId)).get())
    ?.n ?? 0;

/**
 * An event's RSVP count as a column of the query that lists it, so a list of events is one
 * statement rather than one count per event (chat's !events, the portal's list, the iCal feed).
 */
export const goingColumn =
  sql<number>`(SELECT count(*) FROM ${calendarRsvps} WHERE ${calendarRsvps.eventId} = ${calendarEvents.id})`.mapWith(
    Number,
  );

/** Approved events that have not ended, soonest first, each with its RSVP count (`going`). */
export const upcoming = (db: Database, communityId: string, now: number, limit: number) =>
  db
    .select({ ...getTableColumns(calendarEvents), going: goingColumn })
    .from(calendarEvents)
    .where(
      and(
        eq(calendarEvents.communityId, communityId),
        eq(calendarEvents.status, "approved"),
        gte(calendarEvents.endsAt, new Date(now)),
      ),
    )
    .orderBy(asc(calendarEvents.startsAt))
    .limit(limit);

/** The channel list with `c` added (first seen first, at most MAX_CHANNELS). */
export function withChannel(channels: CalendarChannel[], c: CalendarChannel | undefined): CalendarChannel[] {
  if (!c || channels.some((x) => x.platform === c.platform && x.channelId === c.channelId)) return channels;
  return channels.length >= MAX_CHANNELS ? channels : [...channels, c];
}

const reminderPrefix = (e: Pick<CalendarEvent, "id">) => `cal:${e.id}:`;

/** The columns a reminder is made of (a new proposal has them without reading its row back). */
export type Remindable = Pick<
  CalendarEvent,
  "id" | "communityId" | "number" | "title" | "startsAt" | "timeZone" | "status" | "remindBeforeMin" | "channels"
>;

/**
 * Puts one reminder per channel of an approved event on the community's scheduler (its alarm
 * sends them through lib/modules/deliver.ts). Idempotent: a reminder's id is the event and the
 * channel, so scheduling again after a new channel replaces rather than doubles.
 */
export async function scheduleReminders(env: Env, e: Remindable, now: number): Promise<void> {
  const start = e.startsAt.getTime();
  if (e.status !== "approved" || e.remindBeforeMin <= 0 || start <= now) return;
  const dueAt = Math.max(now, start - e.remindBeforeMin * 60_000);
  const minutes = Math.max(1, Math.round((start - dueAt) / 60_000));
  const text = `📅 Starting in ${minutes} min: #${e.number} ${e.title} (${showWhen(start, e.timeZone)}). !rsvp ${e.number} to join.`;
  const scheduler = schedulerFor(env, e.communityId);
  for (const c of e.channels) {
    const ok = await scheduler.remind({
      id: `${reminderPrefix(e)}${c.platform}:${c.channelId}`,
      target: { communityId: e.communityId, ...c },
      text,
      dueAt,
    });
    if (!ok) log.warn("calendar reminder not scheduled: too many pending", { communityId: e.communityId });
  }
}

const forgetReminders = (env: Env, e: Pick<CalendarEvent, "id" | "communityId">) =>
  schedulerFor(env, e.communityId).forgetReminders(reminderPrefix(e));

type Decision = "approved" | "rejected";
type DecideResult = { event: CalendarEvent } | { error: "missing" | "decided" };

/**
 * A moderator's decision on a pending event (chat or portal). Only a pending one changes, in one
 * conditional UPDATE, so two moderators deciding at once cannot both win.
 */
export async function decide(
  env: Env,
  db: Database,
  communityId: string,
  number: number,
  decision: Decision,
  by: string,
  now: number,
  channel?: CalendarChannel,
): Promise<DecideResult> {
  const e = await findEvent(db, communityId, number);
  if (!e) return { error: "missing" };
  const [row] = await db
    .update(calendarEvents)
    .set({
      status: decision,
      decidedBy: by,
      channels: decision === "approved" ? withChannel(e.channels, channel) : e.channels,
      sequence: sql`${calendarEvents.sequence} + 1`,
    })
    .where(and(eq(calendarEvents.id, e.id), eq(calendarEvents.status, "pending")))
    .returning();
  if (!row) return { error: "decided" };
  await scheduleReminders(env, row, now);
  return { event: row };
}

/** Deletes an event (its RSVPs go with it) and its pending reminders. */
export async function removeEvent(env: Env, db: Database, e: CalendarEvent): Promise<void> {
  await db.delete(calendarEvents).where(eq(calendarEvents.id, e.id));
  await forgetReminders(env, e);
}
