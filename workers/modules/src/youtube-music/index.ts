import { and, asc, eq, sql } from "drizzle-orm";
import type { BotReply } from "../../../../lib/events/chat-event.ts";
import { log } from "../../../../lib/log.ts";
import { dry, type FirstPartyModule, label, MAX_TEXT, type ModuleContext, say, tooLong } from "../kit.ts";
import { manifest } from "./manifest.ts";
import { musicQueue } from "./schema.ts";
import { SearchUnavailable, searchVideo } from "./search.ts";

type Row = typeof musicQueue.$inferSelect;
const media = (r: Row): BotReply => ({
  type: "media",
  data: {
    title: r.title.slice(0, 200),
    artist: r.artist.slice(0, 200) || undefined,
    ...(r.artUrl ? { artUrl: r.artUrl } : {}),
    positionMs: 0,
  },
});
const playing = (ctx: ModuleContext) =>
  ctx.db
    .select()
    .from(musicQueue)
    .where(and(eq(musicQueue.communityId, ctx.call.communityId), eq(musicQueue.status, "playing")))
    .get();
const queued = (ctx: ModuleContext, limit: number) =>
  ctx.db
    .select()
    .from(musicQueue)
    .where(and(eq(musicQueue.communityId, ctx.call.communityId), eq(musicQueue.status, "queued")))
    .orderBy(asc(musicQueue.seq))
    .limit(limit);

/** Moves the queue on: the playing song is done, the oldest queued one plays (on the media overlay). */
async function advance(ctx: ModuleContext): Promise<Row | null> {
  const mine = eq(musicQueue.communityId, ctx.call.communityId);
  await ctx.db
    .update(musicQueue)
    .set({ status: "done" })
    .where(and(mine, eq(musicQueue.status, "playing")));
  const [next] = await queued(ctx, 1);
  if (!next) return null;
  await ctx.db.update(musicQueue).set({ status: "playing" }).where(eq(musicQueue.id, next.id));
  return next;
}

export const youtubeMusic: FirstPartyModule = {
  manifest,
  async command(ctx) {
    const { call, db, env } = ctx;
    const cmd = call.command!;
    if (cmd.name === "ytsong") {
      const now = await playing(ctx);
      return say(
        call,
        now ? `Now playing: ${now.title} — ${now.artist} (requested by ${now.requestedBy})` : "Nothing is playing.",
      );
    }
    if (cmd.name === "ytqueue") {
      const next = await queued(ctx, 5);
      return say(
        call,
        next.length ? `Next: ${next.map((r, i) => `${i + 1}. ${r.title}`).join(", ")}` : "The queue is empty.",
      );
    }
    if (cmd.name === "ytskip") {
      if (call.simulated) return dry(call);
      const next = await advance(ctx);
      return next
        ? [...say(call, `Now playing: ${next.title} — ${next.artist}`), media(next)]
        : say(call, "The queue is empty.");
    }
    const q = cmd.rawArgs.trim();
    if (!q) return say(call, `Usage: ${label(call)} <song name>`);
    if (q.length > MAX_TEXT) return tooLong(call, "That request");
    const max = Number(call.settings.maxPerUser ?? 3);
    const mine = await db
      .select({ n: sql<number>`count(*)` })
      .from(musicQueue)
      .where(
        and(
          eq(musicQueue.communityId, call.communityId),
          eq(musicQueue.status, "queued"),
          eq(musicQueue.requestedBy, call.user.username),
        ),
      )
      .get();
    if ((mine?.n ?? 0) >= (Number.isInteger(max) && max > 0 ? max : 3))
      return say(call, `You already have ${max} songs in the queue.`);
    let video: Awaited<ReturnType<typeof searchVideo>>;
    try {
      video = await searchVideo(env, q);
    } catch (err) {
      log.warn("youtube search failed", { error: err instanceof SearchUnavailable ? err.message : String(err) });
      return say(call, "YouTube search is not available right now.");
    }
    if (!video) return say(call, `Nothing found on YouTube for "${q}".`);
    if (call.simulated) return dry(call);
    await db.insert(musicQueue).values({
      communityId: call.communityId,
      ...video,
      requestedBy: call.user.username,
      seq: sql`(SELECT coalesce(max(seq), 0) + 1 FROM music_queue WHERE community_id = ${call.communityId})` as unknown as number,
    });
    if (!(await playing(ctx))) {
      const next = await advance(ctx);
      if (next) return [...say(call, `Now playing: ${next.title} — ${next.artist}`), media(next)];
    }
    return say(call, `Queued: ${video.title} — ${video.artist}`);
  },
};
