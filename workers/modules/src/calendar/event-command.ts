/** `!event`: propose (members), approve/reject/pending (moderators), remove (owner or moderator), show. */
import { and, asc, eq, gte, sql } from "drizzle-orm";
import type { BotReply } from "../../../../lib/events/chat-event.ts";
import { denied, dry, isModerator, label, type ModuleContext, parseDuration, say, who } from "../kit.ts";
import { decide, eventLine, findEvent, goingCount, pruneEvents, removeEvent, scheduleReminders } from "./repo.ts";
import { calendarEvents } from "./schema.ts";
import { DEFAULT_DURATION_MS, MAX_AHEAD_MS, MAX_DURATION_MS, parseWhen, timeZoneOf } from "./when.ts";

const MAX_TITLE = 100;
/** Pending proposals per person and per community: members cannot flood the moderators' queue. */
const MAX_PENDING_PER_USER = 3;
const MAX_PENDING = 50;
/** Events that have not ended, per community. */
const MAX_EVENTS = 200;

/** `3` or `#3` → 3; anything else → null. */
export const parseNumber = (s: string | undefined) =>
  /^#?[0-9]{1,9}$/.test(s ?? "") ? Number(s!.replace("#", "")) : null;

const reminderMinutes = (settings: Record<string, unknown>) => {
  const n = Number(settings.reminderMinutes ?? 15);
  return Number.isInteger(n) && n >= 0 && n <= 1440 ? n : 15;
};

export async function eventCommand(ctx: ModuleContext): Promise<BotReply[]> {
  const { call } = ctx;
  const [sub, ...rest] = call.command!.args;
  const tz = timeZoneOf(call.settings);
  const usage = say(
    call,
    `Usage: ${label(call)} add <YYYY-MM-DD> <HH:MM> [duration, e.g. 2h] <title> (${tz}) | <number> | approve <number> | reject <number> | remove <number> | pending`,
  );
  if (sub === "add") return propose(ctx, rest, tz, usage);
  if (sub === "pending" && rest.length === 0) return pending(ctx);
  const shown = parseNumber(sub);
  if (shown !== null && rest.length === 0) {
    const e = await findEvent(ctx.db, call.communityId, shown);
    if (!e || (e.status !== "approved" && !isModerator(call))) return say(call, `There is no event #${shown}.`);
    const state = e.status === "approved" ? `${await goingCount(ctx.db, e.id)} going` : e.status;
    return say(call, `${eventLine(e)} (${state}), proposed by ${e.proposedBy}.`);
  }
  const number = parseNumber(rest[0]);
  if ((sub !== "approve" && sub !== "reject" && sub !== "remove") || number === null || rest.length !== 1) return usage;
  if (sub === "remove") return remove(ctx, number);
  if (!isModerator(call)) return denied(call, `${sub} events`);
  if (call.simulated) return dry(call);
  const channel = { platform: call.platform, channelId: call.channel.id };
  const decision = sub === "approve" ? "approved" : "rejected";
  const r = await decide(ctx.env, ctx.db, call.communityId, number, decision, who(call), ctx.now, channel);
  if ("error" in r)
    return say(call, r.error === "missing" ? `There is no event #${number}.` : `#${number} is not pending.`);
  return say(call, `${decision === "approved" ? "Approved" : "Rejected"}: ${eventLine(r.event)}.`);
}

async function propose(ctx: ModuleContext, args: string[], tz: string, usage: BotReply[]): Promise<BotReply[]> {
  const { call, db, now } = ctx;
  const [date, time, maybeDuration, ...words] = args;
  if (!date || !time) return usage;
  const duration = parseDuration(maybeDuration, 5 * 60_000, MAX_DURATION_MS);
  // `30h` is a duration out of range, not the first word of a title.
  if (duration === null && /^[0-9]+[smhd]$/i.test(maybeDuration ?? ""))
    return say(call, "An event lasts from 5m to 24h (e.g. 90m or 2h).");
  const title = (duration === null ? [maybeDuration, ...words] : words).join(" ").replace(/\s+/g, " ").trim();
  const startsAt = parseWhen(date, time, tz);
  if (startsAt === null)
    return say(
      call,
      `"${`${date} ${time}`.slice(0, 40)}" is not a date and time: write it as 2026-12-24 18:00 (${tz}).`,
    );
  if (!title) return usage;
  if (title.length > MAX_TITLE) return say(call, `That title is too long (${MAX_TITLE} characters at most).`);
  if (startsAt <= now) return say(call, "That time has passed: an event must start in the future.");
  if (startsAt - now > MAX_AHEAD_MS) return say(call, "That is too far ahead: plan events up to two years out.");
  if (call.simulated) return dry(call);
  await pruneEvents(db, call.communityId, now);
  const mod = isModerator(call);
  const waiting = eq(calendarEvents.status, "pending");
  const own = and(eq(calendarEvents.proposedByPlatform, call.platform), eq(calendarEvents.proposedById, call.user.id));
  // All three caps in one statement over the community's events that have not ended.
  const caps = await db
    .select({
      open: sql<number>`count(*)`.mapWith(Number),
      waiting: sql<number>`count(*) FILTER (WHERE ${waiting})`.mapWith(Number),
      own: sql<number>`count(*) FILTER (WHERE ${and(waiting, own)})`.mapWith(Number),
    })
    .from(calendarEvents)
    .where(and(eq(calendarEvents.communityId, call.communityId), gte(calendarEvents.endsAt, new Date(now))))
    .get();
  if ((caps?.open ?? 0) >= MAX_EVENTS)
    return say(call, `This community has ${MAX_EVENTS} events planned, the most it can have.`);
  if (!mod) {
    if ((caps?.waiting ?? 0) >= MAX_PENDING) return say(call, "Too many events are waiting for approval; try later.");
    if ((caps?.own ?? 0) >= MAX_PENDING_PER_USER)
      return say(call, `You have ${MAX_PENDING_PER_USER} events waiting for approval already.`);
  }
  const e = {
    id: crypto.randomUUID(),
    communityId: call.communityId,
    title,
    startsAt: new Date(startsAt),
    endsAt: new Date(startsAt + (duration ?? DEFAULT_DURATION_MS)),
    status: mod ? ("approved" as const) : ("pending" as const),
    timeZone: tz,
    remindBeforeMin: reminderMinutes(call.settings),
    channels: [{ platform: call.platform, channelId: call.channel.id }],
  };
  // The next number in the same statement: two proposals at once cannot take one number. The
  // rest of the row is what was just written, so only the number comes back.
  const row = await ctx.env.DB.prepare(
    `INSERT INTO calendar_events (id, community_id, number, title, starts_at, ends_at, status, time_zone, remind_before_min,
       proposed_by_platform, proposed_by_id, proposed_by, decided_by, channels, sequence, created_at, updated_at)
     SELECT ?1, ?2, coalesce(max(number), 0) + 1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 0, ?14, ?14
     FROM calendar_events WHERE community_id = ?2 RETURNING number`,
  )
    .bind(
      e.id,
      e.communityId,
      e.title,
      e.startsAt.getTime(),
      e.endsAt.getTime(),
      e.status,
      e.timeZone,
      e.remindBeforeMin,
      call.platform,
      call.user.id,
      who(call),
      mod ? who(call) : null,
      JSON.stringify(e.channels),
      now,
    )
    .first<{ number: number }>();
  const added = { ...e, number: row!.number };
  if (mod) {
    await scheduleReminders(ctx.env, added, now);
    return say(call, `Event added: ${eventLine(added)}.`);
  }
  return say(
    call,
    `Event proposed: ${eventLine(added)}. A moderator will approve it (!event approve ${added.number}).`,
  );
}

async function pending(ctx: ModuleContext): Promise<BotReply[]> {
  const { call, db } = ctx;
  if (!isModerator(call)) return denied(call, "see pending events");
  const rows = await db
    .select()
    .from(calendarEvents)
    .where(and(eq(calendarEvents.communityId, call.communityId), eq(calendarEvents.status, "pending")))
    .orderBy(asc(calendarEvents.number))
    .limit(5);
  return say(
    call,
    rows.length ? `Waiting for approval: ${rows.map(eventLine).join(" | ")}` : "No events are waiting for approval.",
  );
}

async function remove(ctx: ModuleContext, number: number): Promise<BotReply[]> {
  const { call, db } = ctx;
  const e = await findEvent(db, call.communityId, number);
  const owner = e?.proposedByPlatform === call.platform && e.proposedById === call.user.id;
  if (!e || (e.status === "rejected" && !isModerator(call))) return say(call, `There is no event #${number}.`);
  if (!owner && !isModerator(call)) return say(call, "Only the event's owner or a moderator can remove it.");
  if (call.simulated) return dry(call);
  await removeEvent(ctx.env, db, e);
  return say(call, `Removed: ${eventLine(e)}.`);
}
