import { and, eq } from "drizzle-orm";
import type { BotReply } from "../../../../lib/events/chat-event.ts";
import { dry, type FirstPartyModule, label, type ModuleContext, say, who } from "../kit.ts";
import { eventCommand, parseNumber } from "./event-command.ts";
import { manifest } from "./manifest.ts";
import { eventLine, findEvent, goingCount, scheduleReminders, upcoming, withChannel } from "./repo.ts";
import { calendarEvents, calendarRsvps } from "./schema.ts";
import { timeZoneOf } from "./when.ts";

/** People who may RSVP to one event (a flood must not grow a table without bound). */
const MAX_RSVPS = 5000;

/** `!events`: the next five approved events that have not ended. */
async function listUpcoming(ctx: ModuleContext): Promise<BotReply[]> {
  const { call, db, now } = ctx;
  const rows = await upcoming(db, call.communityId, now, 5);
  if (!rows.length) {
    return say(
      call,
      `No upcoming events. Propose one: !event add <YYYY-MM-DD> <HH:MM> <title> (${timeZoneOf(call.settings)}).`,
    );
  }
  return say(call, `Upcoming: ${rows.map((e) => `${eventLine(e)} (${e.going} going)`).join(" | ")}`);
}

/** `!rsvp 3` (going) and `!rsvp 3 no`; only approved events that have not started. */
async function rsvp(ctx: ModuleContext): Promise<BotReply[]> {
  const { call, db, env, now } = ctx;
  const [n, answer, ...rest] = call.command!.args;
  const number = parseNumber(n);
  const no = answer?.toLowerCase() === "no";
  if (number === null || (answer !== undefined && !no && answer.toLowerCase() !== "yes") || rest.length)
    return say(call, `Usage: ${label(call)} <event number> [no]`);
  const e = await findEvent(db, call.communityId, number);
  if (e?.status !== "approved" || e.startsAt.getTime() <= now)
    return say(call, `There is no upcoming event #${number}.`);
  if (call.simulated) return dry(call);
  const mine = and(
    eq(calendarRsvps.eventId, e.id),
    eq(calendarRsvps.platform, call.platform),
    eq(calendarRsvps.userId, call.user.id),
  );
  if (no) await db.delete(calendarRsvps).where(mine);
  else {
    if ((await goingCount(db, e.id)) >= MAX_RSVPS)
      return say(call, `#${number} has ${MAX_RSVPS} people going, the most it can have.`);
    await db
      .insert(calendarRsvps)
      .values({ eventId: e.id, platform: call.platform, userId: call.user.id, username: who(call) })
      .onConflictDoNothing();
    // The reminder also goes where people said they are going.
    const channels = withChannel(e.channels, { platform: call.platform, channelId: call.channel.id });
    if (channels !== e.channels) {
      const [row] = await db.update(calendarEvents).set({ channels }).where(eq(calendarEvents.id, e.id)).returning();
      if (row) await scheduleReminders(env, row, now);
    }
  }
  const going = await goingCount(db, e.id);
  return say(call, `${who(call)} is ${no ? "not " : ""}going to #${number} ${e.title} (${going} going).`);
}

export const calendar: FirstPartyModule = {
  manifest,
  async command(ctx) {
    const name = ctx.call.command!.name;
    if (name === "events") return listUpcoming(ctx);
    if (name === "rsvp") return rsvp(ctx);
    return eventCommand(ctx);
  },
};
