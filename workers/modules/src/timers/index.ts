import { and, asc, eq, sql } from "drizzle-orm";
import { routerSettings } from "../../../../lib/db/schema/index.ts";
import { schedulerFor } from "../env.ts";
import {
  denied,
  dry,
  type FirstPartyModule,
  isModerator,
  label,
  MAX_TEXT,
  type ModuleContext,
  NAME,
  parseIntIn,
  say,
  tooLong,
} from "../kit.ts";
import { manifest } from "./manifest.ts";
import { moduleTimers } from "./schema.ts";

export const MAX_TIMERS = 20;

/** Is the community live now (the router keeps stream_online's time in router_settings)? */
async function isLive(ctx: ModuleContext) {
  const row = await ctx.db
    .select({ liveSince: routerSettings.liveSince })
    .from(routerSettings)
    .where(eq(routerSettings.communityId, ctx.call.communityId))
    .get();
  return Boolean(row?.liveSince);
}

export const timers: FirstPartyModule = {
  manifest,
  async command(ctx) {
    const { call, db, env } = ctx;
    const [sub, name, minutes, lines, ...words] = call.command!.args;
    const usage = say(
      call,
      `Usage: ${label(call)} add <name> <minutes 1-1440> <min lines 0-1000> <message> | remove <name> | list`,
    );
    const mine = eq(moduleTimers.communityId, call.communityId);
    if (sub === "list" && !name) {
      const rows = await db.select().from(moduleTimers).where(mine).orderBy(asc(moduleTimers.name));
      if (rows.length === 0) return say(call, "No timers yet.");
      return say(
        call,
        `Timers: ${rows.map((t) => `${t.name} (every ${t.intervalMin}m, ${t.minLines} lines)`).join(", ")}`,
      );
    }
    if (sub !== "add" && sub !== "remove") return usage;
    if (!isModerator(call)) return denied(call, `${sub} timers`);
    const key = name?.toLowerCase();
    if (!key || !NAME.test(key)) return usage;
    if (sub === "remove") {
      if (minutes !== undefined) return usage;
      if (call.simulated) return dry(call);
      const gone = await db
        .delete(moduleTimers)
        .where(and(mine, eq(moduleTimers.name, key)))
        .returning({ id: moduleTimers.id });
      if (gone[0]) await schedulerFor(env, call.communityId).removeTimer(gone[0].id);
      return say(call, gone.length ? `Timer ${key} removed.` : `There is no timer ${key}.`);
    }
    const intervalMin = parseIntIn(minutes, 1, 1440);
    const minLines = parseIntIn(lines, 0, 1000);
    const message = words.join(" ").trim();
    if (intervalMin === null || minLines === null || !message) return usage;
    if (message.length > MAX_TEXT) return tooLong(call, "That timer message");
    if (call.simulated) return dry(call);
    const existing = await db
      .select({ id: moduleTimers.id })
      .from(moduleTimers)
      .where(and(mine, eq(moduleTimers.name, key)))
      .get();
    const count = (await db.select({ n: sql<number>`count(*)` }).from(moduleTimers).where(mine).get())?.n ?? 0;
    if (!existing && count >= MAX_TIMERS)
      return say(call, `This community has ${MAX_TIMERS} timers, the most it can have.`);
    const values = { platform: call.platform, channelId: call.channel.id, message, intervalMin, minLines };
    const [row] = await db
      .insert(moduleTimers)
      .values({ communityId: call.communityId, name: key, ...values })
      .onConflictDoUpdate({ target: [moduleTimers.communityId, moduleTimers.name], set: values })
      .returning({ id: moduleTimers.id });
    const scheduler = schedulerFor(env, call.communityId);
    await scheduler.setLive(await isLive(ctx));
    await scheduler.setTimer({
      id: row!.id,
      target: { communityId: call.communityId, platform: call.platform, channelId: call.channel.id },
      text: message,
      intervalMs: intervalMin * 60_000,
      minLines,
    });
    return say(
      call,
      `Timer ${key}: every ${intervalMin} minutes in this channel while live, after ${minLines} chat lines.`,
    );
  },
  async event({ call, env }) {
    if (call.simulated) return [];
    const scheduler = schedulerFor(env, call.communityId);
    if (call.eventType === "message") await scheduler.countLine(call.platform, call.channel.id);
    else if (call.eventType === "stream_online" || call.eventType === "stream_offline")
      await scheduler.setLive(call.eventType === "stream_online");
    return [];
  },
};
