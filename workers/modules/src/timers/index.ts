import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "../../../../lib/db/client.ts";
import { routerSettings } from "../../../../lib/db/schema/index.ts";
import type { ChatTarget } from "../../../../lib/modules/deliver.ts";
import { type Env, schedulerFor } from "../env.ts";
import {
  denied,
  dry,
  type FirstPartyModule,
  isModerator,
  label,
  MAX_TEXT,
  NAME,
  parseIntIn,
  say,
  tooLong,
} from "../kit.ts";
import { manifest } from "./manifest.ts";
import { moduleTimers } from "./schema.ts";

export const MAX_TIMERS = 20;

/** Is the community live now (the router keeps stream_online's time in router_settings)? */
async function isLive(db: Database, communityId: string) {
  const row = await db
    .select({ liveSince: routerSettings.liveSince })
    .from(routerSettings)
    .where(eq(routerSettings.communityId, communityId))
    .get();
  return Boolean(row?.liveSince);
}

type TimerValues = Pick<
  typeof moduleTimers.$inferSelect,
  "platform" | "channelId" | "message" | "intervalMin" | "minLines"
>;

/**
 * Adds or replaces a timer by name and (re)schedules it in the community's scheduler object;
 * null when the community already has MAX_TIMERS others. Returns the timer it replaced, if any.
 */
export async function saveTimer(env: Env, db: Database, communityId: string, name: string, values: TimerValues) {
  const mine = eq(moduleTimers.communityId, communityId);
  const existing = await db
    .select()
    .from(moduleTimers)
    .where(and(mine, eq(moduleTimers.name, name)))
    .get();
  const count = (await db.select({ n: sql<number>`count(*)` }).from(moduleTimers).where(mine).get())?.n ?? 0;
  if (!existing && count >= MAX_TIMERS) return null;
  const [row] = await db
    .insert(moduleTimers)
    .values({ communityId, name, ...values })
    .onConflictDoUpdate({ target: [moduleTimers.communityId, moduleTimers.name], set: values })
    .returning({ id: moduleTimers.id });
  const scheduler = schedulerFor(env, communityId);
  await scheduler.setLive(await isLive(db, communityId));
  await scheduler.setTimer({
    id: row!.id,
    target: { communityId, platform: values.platform as ChatTarget["platform"], channelId: values.channelId },
    text: values.message,
    intervalMs: values.intervalMin * 60_000,
    minLines: values.minLines,
  });
  return { previous: existing ?? null };
}

/** Removes a timer by name (and its schedule); the removed row, or null when there was none. */
export async function removeTimer(env: Env, db: Database, communityId: string, name: string) {
  const [gone] = await db
    .delete(moduleTimers)
    .where(and(eq(moduleTimers.communityId, communityId), eq(moduleTimers.name, name)))
    .returning();
  if (gone) await schedulerFor(env, communityId).removeTimer(gone.id);
  return gone ?? null;
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
      const gone = await removeTimer(env, db, call.communityId, key);
      return say(call, gone ? `Timer ${key} removed.` : `There is no timer ${key}.`);
    }
    const intervalMin = parseIntIn(minutes, 1, 1440);
    const minLines = parseIntIn(lines, 0, 1000);
    const message = words.join(" ").trim();
    if (intervalMin === null || minLines === null || !message) return usage;
    if (message.length > MAX_TEXT) return tooLong(call, "That timer message");
    if (call.simulated) return dry(call);
    const values = { platform: call.platform, channelId: call.channel.id, message, intervalMin, minLines };
    if (!(await saveTimer(env, db, call.communityId, key, values)))
      return say(call, `This community has ${MAX_TIMERS} timers, the most it can have.`);
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
