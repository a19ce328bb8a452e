import type { BotReply } from "../../../../lib/events/chat-event.ts";
import { log } from "../../../../lib/log.ts";
import { spotifyFor } from "../../../../lib/spotify/api.ts";
import { SpotifyError } from "../../../../lib/spotify/config.ts";
import { describe, mediaOf } from "../../../../lib/spotify/now-playing.ts";
import { addRequest, clearPending, markPlayed, pendingOf } from "../../../../lib/spotify/requests.ts";
import { schedulerFor } from "../env.ts";
import { dry, type FirstPartyModule, label, MAX_TEXT, type ModuleContext, say, tooLong, who } from "../kit.ts";
import { manifest } from "./manifest.ts";

const NOT_CONNECTED = "Spotify is not connected here yet: an admin connects it on the portal's Music page.";

/** Spotify's refusals in words a chat understands (the details go to the log). */
function trouble(ctx: ModuleContext, err: unknown): BotReply[] {
  if (!(err instanceof SpotifyError)) throw err;
  log.warn("spotify call failed", { communityId: ctx.call.communityId, status: err.status, error: err.message });
  if (err.reason === "NO_ACTIVE_DEVICE")
    return say(ctx.call, "Spotify has no active device: start playing something first.");
  if (err.reason === "PREMIUM_REQUIRED") return say(ctx.call, "That needs Spotify Premium on the streamer's account.");
  if (err.status === 401) return say(ctx.call, "Spotify access was withdrawn: an admin needs to connect it again.");
  return say(ctx.call, "Spotify is not available right now.");
}

/** Any Spotify command keeps the now-playing poll (and so the media overlay) going. */
const keepPolling = (ctx: ModuleContext, soonMs?: number) =>
  schedulerFor(ctx.env, ctx.call.communityId)
    .pollSpotify(ctx.call.communityId, soonMs)
    .catch((err) => log.warn("spotify poll not started", { error: err }));

export const spotify: FirstPartyModule = {
  manifest,
  async command(ctx) {
    const { call, env } = ctx;
    const cmd = call.command!;
    const q = cmd.rawArgs.trim();
    if (cmd.name === "sr") {
      // Usage and length first: they need no Spotify at all.
      if (!q) return say(call, `Usage: ${label(call)} <song name>`);
      if (q.length > MAX_TEXT) return tooLong(call, "That request");
    } else if (q && cmd.name !== "song") {
      return say(call, `Usage: ${label(call)} (no arguments)`);
    }
    let client: Awaited<ReturnType<typeof spotifyFor>>;
    try {
      client = await spotifyFor(env, call.communityId);
    } catch (err) {
      return trouble(ctx, err);
    }
    if (!client) return say(call, NOT_CONNECTED);
    // A simulated try (the portal's "try it") reads but never changes anything, the poll included.
    if (!call.simulated) await keepPolling(ctx);
    try {
      if (cmd.name === "song") {
        const np = await client.nowPlaying();
        if (!np) return say(call, "Nothing is playing on Spotify.");
        if (!call.simulated) await markPlayed(env.DB, call.communityId, np.track.uri);
        return [
          ...say(call, `${np.isPlaying ? "Now playing" : "Paused"}: ${describe(np)}`),
          ...(np.isPlaying ? [{ type: "media" as const, data: mediaOf(np) }] : []),
        ];
      }
      if (cmd.name === "skip") {
        if (call.simulated) return dry(call);
        await client.next();
        // Spotify takes a moment to switch; the overlay follows within a couple of seconds.
        await keepPolling(ctx, 2_000);
        return say(call, "Skipped to the next song.");
      }
      if (cmd.name === "srclear") {
        if (call.simulated) return dry(call);
        const n = await clearPending(env.DB, call.communityId);
        // Spotify's Web API can add to the queue but not take out of it.
        return say(
          call,
          n
            ? `Cleared ${n} song request${n === 1 ? "" : "s"} (songs already in Spotify's queue stay there: Spotify cannot remove them).`
            : "There are no song requests.",
        );
      }
      const max = Number(call.settings.maxPerUser ?? 3);
      const limit = Number.isInteger(max) && max >= 1 && max <= 20 ? max : 3;
      const requesterKey = `${call.platform}:${call.user.id}`;
      if ((await pendingOf(env.DB, call.communityId, requesterKey)) >= limit) {
        return say(call, `You already have ${limit} song request${limit === 1 ? "" : "s"} waiting.`);
      }
      const track = await client.search(q);
      if (!track) return say(call, `Nothing found on Spotify for "${q}".`);
      if (call.simulated) return dry(call);
      await client.queue(track.uri);
      await addRequest(env.DB, { communityId: call.communityId, track, requestedBy: who(call), requesterKey });
      return say(call, `Queued: ${track.title}${track.artist ? ` — ${track.artist}` : ""} (requested by ${who(call)})`);
    } catch (err) {
      return trouble(ctx, err);
    }
  },
  async event(ctx) {
    const { call, env } = ctx;
    if (call.eventType !== "stream_online" && call.eventType !== "stream_offline") return [];
    const scheduler = schedulerFor(env, call.communityId);
    await scheduler.setLive(call.eventType === "stream_online");
    if (call.eventType === "stream_online") await keepPolling(ctx);
    return [];
  },
};
