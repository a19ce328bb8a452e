import { log } from "../log.ts";
import { type NowPlaying, spotifyFor } from "./api.ts";
import { type SpotifyEnv, SpotifyError } from "./config.ts";
import { markPlayed } from "./requests.ts";

/**
 * How often the ModuleScheduler asks Spotify what plays while the poll is on. The overlay runs
 * its progress bar by itself from positionMs/durationMs, so a poll only has to notice a change
 * (next track, skip, pause): 15 s keeps that under 15 s at 4 calls a minute per community, well
 * inside Spotify's rolling 30-second rate window. Near a track's end the poll comes sooner.
 */
const POLL_MS = 15_000;
/** Nothing playing, not live, no command for this long: the poll stops (a command starts it again). */
export const IDLE_MS = 30 * 60_000;

/** The room the overlay pages listen to (durable-objects/overlay-room.ts), as the poll uses it. */
export interface MediaRoom {
  publish(type: "media", data: Record<string, unknown>): Promise<unknown>;
}

const fmt = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, "0")}`;
export const describe = (np: NowPlaying) =>
  `${np.track.title}${np.track.artist ? ` — ${np.track.artist}` : ""} (${fmt(np.progressMs)} / ${fmt(np.track.durationMs)})`;

/** The media overlay's message (the router's MediaMessage: capped strings, https art, position ≤ duration). */
export function mediaOf(np: NowPlaying): Record<string, unknown> {
  const t = np.track;
  return {
    title: t.title.trim().slice(0, 200) || "Unknown track",
    ...(t.artist.trim() ? { artist: t.artist.trim().slice(0, 200) } : {}),
    ...(t.album.trim() ? { album: t.album.trim().slice(0, 200) } : {}),
    ...(t.artUrl && t.artUrl.length < 2048 ? { artUrl: t.artUrl } : {}),
    durationMs: Math.min(t.durationMs, 86_400_000),
    positionMs: Math.min(np.progressMs, t.durationMs, 86_400_000),
  };
}

/** What changes what the overlay shows: another track, or the same one paused/resumed. */
const playingKey = (np: NowPlaying | null) => (np?.isPlaying ? np.track.uri : "");

interface PollResult {
  /** The key to compare with next time. */
  key: string;
  /** Something plays (keeps the poll alive). */
  playing: boolean;
  /** Not connected any more: stop polling. */
  stop: boolean;
  /** When to look again. */
  nextInMs: number;
}

/**
 * One poll: asks Spotify, publishes to the media overlay only when the key changed, and marks a
 * request played when Spotify plays it. Failures are logged and the poll goes on (Spotify down
 * for a minute must not end it); a withdrawn grant ends it.
 */
export async function pollNowPlaying(
  env: SpotifyEnv,
  room: MediaRoom | null,
  communityId: string,
  lastKey: string,
): Promise<PollResult> {
  let np: NowPlaying | null;
  try {
    const spotify = await spotifyFor(env, communityId);
    if (!spotify) return { key: "", playing: false, stop: true, nextInMs: POLL_MS };
    np = await spotify.nowPlaying();
  } catch (err) {
    const revoked = err instanceof SpotifyError && err.status === 401;
    log.warn("spotify poll failed", { communityId, error: err });
    return { key: lastKey, playing: false, stop: revoked, nextInMs: POLL_MS };
  }
  const key = playingKey(np);
  if (np && key && key !== lastKey) {
    await markPlayed(env.DB, communityId, np.track.uri);
    try {
      await room?.publish("media", mediaOf(np));
    } catch (err) {
      log.warn("now playing not published", { communityId, error: err });
    }
  }
  const left = np?.isPlaying ? np.track.durationMs - np.progressMs : Infinity;
  return {
    key,
    playing: Boolean(np?.isPlaying),
    stop: false,
    nextInMs: Math.max(2_000, Math.min(POLL_MS, left + 1_000)),
  };
}
