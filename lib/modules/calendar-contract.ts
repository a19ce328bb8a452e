/**
 * The calendar module's RPC surface for the router (portal pages and the public iCal feed),
 * beside the call/reply contract in contract.ts. Declared here so neither worker imports the other.
 */
import * as z from "zod";

export const CalendarEventViewSchema = z.object({
  number: z.number().int(),
  title: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  timeZone: z.string(),
  status: z.enum(["pending", "approved", "rejected"]),
  proposedBy: z.string(),
  decidedBy: z.string().nullable(),
  going: z.number().int(),
});
export type CalendarEventView = z.infer<typeof CalendarEventViewSchema>;

export type CalendarDecision = "approved" | "rejected";
export type CalendarDecideResult = { event: CalendarEventView } | { error: "missing" | "decided" };

export interface CalendarRpc {
  /** Pending and approved events that have not ended, soonest first. */
  calendarEvents(communityId: string): Promise<CalendarEventView[]>;
  /** Approves or rejects a pending event (its reminders are scheduled on approval). */
  decideCalendarEvent(
    communityId: string,
    number: number,
    decision: CalendarDecision,
    by: string,
  ): Promise<CalendarDecideResult>;
  /** Removes an event and its reminders; what it was, or null when there is none. */
  removeCalendarEvent(communityId: string, number: number): Promise<CalendarEventView | null>;
  /** The community's iCal feed token (made on first use), or a new one (the old URL stops). */
  calendarFeedToken(communityId: string, rotate: boolean): Promise<string>;
  /** The iCal text for a feed token, or null when no community has it. */
  calendarIcs(token: string): Promise<string | null>;
}
