import type { SpotifyEnv } from "../lib/spotify/config.ts";
import { IDLE_MS, type MediaRoom, pollNowPlaying } from "../lib/spotify/now-playing.ts";

/**
 * The Spotify now-playing poll's storage in a community's ModuleScheduler (SQLite): one row
 * while it runs; `last` is what the media overlay shows, so a restart never publishes it twice.
 */
export const SPOTIFY_POLL_TABLE = `CREATE TABLE IF NOT EXISTS spotify_poll (community_id TEXT PRIMARY KEY,
  next_at INTEGER NOT NULL, until_at INTEGER NOT NULL, last TEXT NOT NULL DEFAULT '')`;

type Row = { community_id: string; next_at: number; until_at: number; last: string };

/** Starts the poll (at once) or, running, keeps it alive; `soonMs` brings the next look forward. */
export function startPoll(sql: SqlStorage, communityId: string, soonMs: number | undefined, now: number) {
  sql.exec(
    `INSERT INTO spotify_poll (community_id, next_at, until_at) VALUES (?, ?, ?)
     ON CONFLICT (community_id) DO UPDATE SET next_at = min(next_at, ?), until_at = max(until_at, excluded.until_at)`,
    communityId,
    now,
    now + IDLE_MS,
    soonMs === undefined ? Number.MAX_SAFE_INTEGER : now + soonMs,
  );
}

export function pollState(sql: SqlStorage) {
  const r = sql.exec<Row>("SELECT * FROM spotify_poll").toArray()[0];
  return r ? { nextAt: r.next_at, untilAt: r.until_at, last: r.last } : null;
}

/** Polls if due at `now`; then the next look, or the end (idle and not live, or disconnected). */
export async function pollIfDue(
  sql: SqlStorage,
  env: SpotifyEnv,
  room: (communityId: string) => MediaRoom | null,
  now: number,
  live: boolean,
) {
  const poll = sql.exec<Row>("SELECT * FROM spotify_poll WHERE next_at <= ?", now).toArray()[0];
  if (!poll) return;
  const r = await pollNowPlaying(env, room(poll.community_id), poll.community_id, poll.last);
  const until = r.playing ? Math.max(poll.until_at, now + IDLE_MS) : poll.until_at;
  if (r.stop || (!live && now >= until)) sql.exec("DELETE FROM spotify_poll");
  else sql.exec("UPDATE spotify_poll SET next_at = ?, until_at = ?, last = ?", now + r.nextInMs, until, r.key);
}
