/** The portal's calendar operations (reached from the router over RPC; auth and audit are the router's). */
import { and, asc, eq, gte, ne } from "drizzle-orm";
import type { Database } from "../../../../lib/db/client.ts";
import type {
  CalendarDecideResult,
  CalendarDecision,
  CalendarEventView,
} from "../../../../lib/modules/calendar-contract.ts";
import type { Env } from "../env.ts";
import { type CalendarEvent, decide, findEvent, goingColumn, goingCount, removeEvent } from "./repo.ts";
import { calendarEvents } from "./schema.ts";

const view = (e: CalendarEvent, going: number): CalendarEventView => ({
  number: e.number,
  title: e.title,
  startsAt: e.startsAt.toISOString(),
  endsAt: e.endsAt.toISOString(),
  timeZone: e.timeZone,
  status: e.status,
  proposedBy: e.proposedBy,
  decidedBy: e.decidedBy,
  going,
});

export async function listEvents(db: Database, communityId: string, now: number): Promise<CalendarEventView[]> {
  const rows = await db
    .select({
      e: calendarEvents,
      going: goingColumn,
    })
    .from(calendarEvents)
    .where(
      and(
        eq(calendarEvents.communityId, communityId),
        ne(calendarEvents.status, "rejected"),
        gte(calendarEvents.endsAt, new Date(now)),
      ),
    )
    .orderBy(asc(calendarEvents.startsAt))
    .limit(200);
  return rows.map((r) => view(r.e, r.going));
}

export async function decideEvent(
  env: Env,
  db: Database,
  communityId: string,
  number: number,
  decision: CalendarDecision,
  by: string,
  now: number,
): Promise<CalendarDecideResult> {
  const r = await decide(env, db, communityId, number, decision, by, now);
  return "error" in r ? r : { event: view(r.event, 0) };
}

export async function removeByNumber(env: Env, db: Database, communityId: string, number: number) {
  const e = await findEvent(db, communityId, number);
  if (!e) return null;
  const going = await goingCount(db, e.id);
  await removeEvent(env, db, e);
  return view(e, going);
}
