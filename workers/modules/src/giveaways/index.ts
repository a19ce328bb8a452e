import { and, desc, eq, sql } from "drizzle-orm";
import { levelAtLeast } from "../../../../lib/chat/permission-level.ts";
import type { Database } from "../../../../lib/db/client.ts";
import type { BotReply } from "../../../../lib/events/chat-event.ts";
import {
  denied,
  dry,
  escapeHtml,
  type FirstPartyModule,
  isModerator,
  label,
  type ModuleContext,
  NAME,
  parseDuration,
  say,
} from "../kit.ts";
import { weightedPick } from "./draw.ts";
import { manifest } from "./manifest.ts";
import { giveawayEntries, giveaways } from "./schema.ts";

const MIN_MS = 10_000;
const MAX_MS = 24 * 3_600_000;

/** A community's latest giveaway that was not cancelled (the one chat and the portal act on). */
export const latestGiveaway = (db: Database, communityId: string) =>
  db
    .select()
    .from(giveaways)
    .where(and(eq(giveaways.communityId, communityId), sql`${giveaways.status} <> 'cancelled'`))
    .orderBy(desc(giveaways.createdAt))
    .limit(1)
    .get();
const latest = (ctx: ModuleContext) => latestGiveaway(ctx.db, ctx.call.communityId);

const entryCount = async (ctx: ModuleContext, id: string) =>
  (
    await ctx.db
      .select({ n: sql<number>`count(*)` })
      .from(giveawayEntries)
      .where(eq(giveawayEntries.giveawayId, id))
      .get()
  )?.n ?? 0;

type Giveaway = typeof giveaways.$inferSelect;

/** Why a giveaway cannot be drawn (or re-drawn) now, or null when it can. */
export function notDrawable(g: Giveaway | undefined, redraw: boolean): "none" | "not-drawn" | "drawn" | null {
  if (!g) return "none";
  if (redraw && g.winners.length === 0) return "not-drawn";
  if (!redraw && g.winners.length > 0) return "drawn";
  return null;
}

/**
 * Closes the giveaway and draws one winner among the entries who have not won it yet (a fair,
 * weighted pick with WebCrypto); null when nobody is left. The winner is appended to `winners`.
 */
export async function drawFrom(db: Database, g: Giveaway, now: number) {
  const entries = await db.select().from(giveawayEntries).where(eq(giveawayEntries.giveawayId, g.id));
  const won = new Set(g.winners.map((w) => w.userId));
  const winner = weightedPick(entries.filter((e) => !won.has(`${e.platform}:${e.userId}`)));
  await db.update(giveaways).set({ status: "closed" }).where(eq(giveaways.id, g.id));
  if (!winner) return { winner: null, entries: entries.length };
  const winners = [...g.winners, { userId: `${winner.platform}:${winner.userId}`, username: winner.username, at: now }];
  await db.update(giveaways).set({ winners }).where(eq(giveaways.id, g.id));
  return { winner, entries: entries.length };
}

/** A giveaway is open for entries now (chat and the portal start no second one). */
export const isOpen = (g: Giveaway | undefined, now: number): boolean =>
  g?.status === "open" && g.endsAt.getTime() > now;

/** Starts a giveaway, closing one whose entry time is over but was never drawn. */
export async function startGiveaway(
  db: Database,
  communityId: string,
  previous: Giveaway | undefined,
  values: { keyword: string; endsAt: Date; subscriberLuck: number; startedBy: string },
) {
  if (previous?.status === "open")
    await db.update(giveaways).set({ status: "closed" }).where(eq(giveaways.id, previous.id));
  await db.insert(giveaways).values({ communityId, ...values });
}

async function draw(ctx: ModuleContext, redraw: boolean): Promise<BotReply[]> {
  const { call, db } = ctx;
  const g = await latest(ctx);
  const why = notDrawable(g, redraw);
  if (why === "none") return say(call, "There is no giveaway to draw.");
  if (why === "not-drawn") return say(call, `Nothing to re-draw yet: use ${label(call)} draw.`);
  if (why === "drawn") return say(call, `Already drawn: use ${label(call)} redraw for another winner.`);
  if (call.simulated) return dry(call);
  const { winner, entries } = await drawFrom(db, g!, ctx.now);
  if (!winner) return say(call, entries ? "Everyone who entered has already won." : "Nobody entered the giveaway.");
  return [
    ...say(call, `🎉 The winner of "${g!.keyword}" is @${winner.username}!`),
    { type: "general", data: winnerCard(g!.keyword, winner.username) },
  ];
}

/** The general overlay's card for a giveaway's winner (chat's draw and the portal's). */
export const winnerCard = (keyword: string, username: string) => ({
  title: "Giveaway winner",
  html: `<div class="giveaway"><h1>🎉 ${escapeHtml(username)}</h1><p>won the "${escapeHtml(keyword)}" giveaway</p></div>`,
});

export const giveawaysModule: FirstPartyModule = {
  manifest,
  async command(ctx) {
    const { call, db } = ctx;
    const [sub, ...rest] = call.command!.args;
    const usage = say(call, `Usage: ${label(call)} [start <keyword> <duration, e.g. 5m> | draw | redraw | cancel]`);
    if (!sub) {
      const g = await latest(ctx);
      if (g?.status !== "open" || g.endsAt.getTime() <= ctx.now) return say(call, "No giveaway is open right now.");
      const left = Math.ceil((g.endsAt.getTime() - ctx.now) / 1000);
      return say(
        call,
        `Giveaway open: type ${g.keyword} to enter (${await entryCount(ctx, g.id)} entries, ${left}s left).`,
      );
    }
    if (!["start", "draw", "redraw", "cancel"].includes(sub)) return usage;
    if (!isModerator(call)) return denied(call, `${sub} a giveaway`);
    if (sub === "draw" || sub === "redraw") return rest.length ? usage : draw(ctx, sub === "redraw");
    if (sub === "cancel") {
      if (rest.length) return usage;
      const g = await latest(ctx);
      if (g?.status !== "open") return say(call, "No giveaway is open.");
      if (call.simulated) return dry(call);
      await db.update(giveaways).set({ status: "cancelled" }).where(eq(giveaways.id, g.id));
      return say(call, `The "${g.keyword}" giveaway was cancelled.`);
    }
    const keyword = rest[0]?.toLowerCase();
    const ms = parseDuration(rest[1], MIN_MS, MAX_MS);
    if (rest.length !== 2 || !keyword || !NAME.test(keyword) || ms === null)
      return say(
        call,
        `Usage: ${label(call)} start <keyword: 1-32 of a-z 0-9 _ -> <duration from 10s to 24h, e.g. 5m>`,
      );
    const open = await latest(ctx);
    if (isOpen(open, ctx.now))
      return say(call, `A giveaway is already open (keyword ${open!.keyword}): draw or cancel it first.`);
    if (call.simulated) return dry(call);
    const luck = Number(call.settings.subscriberLuck ?? 2);
    await startGiveaway(db, call.communityId, open, {
      keyword,
      endsAt: new Date(ctx.now + ms),
      subscriberLuck: Number.isInteger(luck) && luck >= 1 && luck <= 10 ? luck : 2,
      startedBy: call.user.username,
    });
    return say(call, `🎁 Giveaway started! Type ${keyword} in chat to enter (${rest[1]}).`);
  },
  /** A chat line equal to the open giveaway's keyword is an entry (once per person). */
  async event(ctx) {
    const { call, db } = ctx;
    if (call.eventType !== "message" || call.simulated) return [];
    const word = call.text?.trim().toLowerCase();
    if (!word || !NAME.test(word)) return [];
    const g = await latest(ctx);
    if (g?.status !== "open" || g.keyword !== word || g.endsAt.getTime() <= ctx.now) return [];
    const weight = levelAtLeast(call.user.level, "subscriber") ? g.subscriberLuck : 1;
    await db
      .insert(giveawayEntries)
      .values({ giveawayId: g.id, platform: call.platform, userId: call.user.id, username: call.user.username, weight })
      .onConflictDoNothing();
    return [];
  },
};
