import * as z from "zod";
import { apiBase, type SpotifyConfig, type SpotifyEnv, SpotifyError } from "./config.ts";
import { refreshTokens } from "./oauth.ts";
import { getAccount, markRevoked, type SpotifyAccount, tokensOf, updateTokens } from "./store.ts";

/** A track as WaddleBot shows it (chat, overlay, portal). */
export interface Track {
  uri: string;
  title: string;
  artist: string;
  album: string;
  artUrl?: string;
  durationMs: number;
}
export interface NowPlaying {
  track: Track;
  isPlaying: boolean;
  progressMs: number;
}

const TrackSchema = z.object({
  uri: z.string().regex(/^spotify:track:[A-Za-z0-9]{1,40}$/),
  name: z.string(),
  duration_ms: z.number().int().min(0),
  artists: z.array(z.object({ name: z.string() })).default([]),
  album: z
    .object({ name: z.string().default(""), images: z.array(z.object({ url: z.string() })).default([]) })
    .default({ name: "", images: [] }),
});
const Playing = z.object({
  is_playing: z.boolean().default(false),
  progress_ms: z.number().int().min(0).nullable().default(0),
  // null during an ad or for a podcast episode without additional_types.
  item: TrackSchema.nullable().catch(null),
});
const Search = z.object({ tracks: z.object({ items: z.array(TrackSchema) }) });
const Me = z.object({ id: z.string().min(1).max(200), display_name: z.string().max(200).nullable().optional() });

const toTrack = (t: z.infer<typeof TrackSchema>): Track => {
  const art = t.album.images[0]?.url;
  return {
    uri: t.uri,
    title: t.name,
    artist: t.artists.map((a) => a.name).join(", "),
    album: t.album.name,
    ...(art?.startsWith("https://") ? { artUrl: art } : {}),
    durationMs: t.duration_ms,
  };
};

async function send(env: SpotifyConfig, token: string, method: string, path: string) {
  try {
    const res = await fetch(`${apiBase(env)}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(4_000),
    });
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {}
    return { status: res.status, body };
  } catch (err) {
    throw new SpotifyError(0, `Spotify could not be reached: ${(err as Error).message}`);
  }
}

function failed(res: { status: number; body: unknown }): never {
  const e = (res.body as { error?: { message?: string; reason?: string } } | null)?.error;
  throw new SpotifyError(res.status, `Spotify answered ${res.status}: ${e?.message ?? "no reason given"}`, e?.reason);
}

/** The account behind a fresh token (GET /me: no scope needed). */
export async function whoAmI(env: SpotifyConfig, token: string) {
  const res = await send(env, token, "GET", "/me");
  const me = Me.safeParse(res.body);
  if (res.status !== 200 || !me.success) failed(res);
  return { accountId: me.data.id, accountName: me.data.display_name ?? null };
}

/** A refresh this early before expiry, so a call never starts with a token about to lapse. */
const EARLY_MS = 60_000;

/**
 * A community's Spotify, or null when it has none connected. Tokens are refreshed a minute before
 * expiry and once more when Spotify answers 401; a refused refresh marks the grant revoked.
 */
export async function spotifyFor(env: SpotifyEnv, communityId: string) {
  const row = await getAccount(env, communityId);
  if (!row) return null;
  if (row.status === "revoked") throw new SpotifyError(401, "Spotify access was withdrawn: connect it again");
  return client(env, row);
}

function client(env: SpotifyEnv, row: SpotifyAccount) {
  let tokens: { accessToken: string; refreshToken: string | null; expiresAt: number } | undefined;
  const load = async () => {
    tokens ??= { ...(await tokensOf(env, row)), expiresAt: row.tokenExpiresAt?.getTime() ?? Infinity };
    return tokens;
  };
  const refresh = async () => {
    const t = await load();
    if (!t.refreshToken) {
      await markRevoked(env, row.communityId);
      throw new SpotifyError(401, "The Spotify token expired and there is no refresh token: connect again");
    }
    try {
      const fresh = await refreshTokens(env, t.refreshToken);
      await updateTokens(env, row.communityId, fresh, t.refreshToken);
      tokens = {
        accessToken: fresh.accessToken,
        refreshToken: fresh.refreshToken ?? t.refreshToken,
        expiresAt: fresh.expiresAt?.getTime() ?? Infinity,
      };
      return tokens.accessToken;
    } catch (err) {
      if (!(err instanceof SpotifyError) || (err.status !== 400 && err.status !== 401)) throw err;
      // Spotify rotates refresh tokens: when the poll and a command refresh at once, one of them
      // holds a spent token. The winner's tokens are in D1 by now; only a refusal of those is a revoke.
      const latest = await getAccount(env, row.communityId);
      if (latest?.status === "active") {
        const other = await tokensOf(env, latest);
        if (other.refreshToken && other.refreshToken !== t.refreshToken) {
          tokens = { ...other, expiresAt: latest.tokenExpiresAt?.getTime() ?? Infinity };
          return other.accessToken;
        }
      }
      await markRevoked(env, row.communityId);
      throw new SpotifyError(401, `Spotify refused the refresh (${err.message}): connect again`, err.reason);
    }
  };
  const call = async (method: string, path: string) => {
    const t = await load();
    const token = t.expiresAt - EARLY_MS <= Date.now() ? await refresh() : t.accessToken;
    const res = await send(env, token, method, path);
    return res.status === 401 ? send(env, await refresh(), method, path) : res;
  };
  return {
    account: row,
    /** What plays now, or null (nothing, an ad, a podcast). */
    async nowPlaying(): Promise<NowPlaying | null> {
      const res = await call("GET", "/me/player/currently-playing");
      if (res.status === 204) return null;
      const p = Playing.safeParse(res.body);
      if (res.status !== 200 || !p.success) failed(res);
      if (!p.data.item) return null;
      return { track: toTrack(p.data.item), isPlaying: p.data.is_playing, progressMs: p.data.progress_ms ?? 0 };
    },
    async search(q: string): Promise<Track | null> {
      const res = await call("GET", `/search?${new URLSearchParams({ q, type: "track", limit: "1" })}`);
      const s = Search.safeParse(res.body);
      if (res.status !== 200 || !s.success) failed(res);
      const first = s.data.tracks.items[0];
      return first ? toTrack(first) : null;
    },
    /** Adds to the end of the listener's queue (needs an active device and Premium). */
    async queue(uri: string): Promise<void> {
      const res = await call("POST", `/me/player/queue?${new URLSearchParams({ uri })}`);
      if (res.status >= 300) failed(res);
    },
    async next(): Promise<void> {
      const res = await call("POST", "/me/player/next");
      if (res.status >= 300) failed(res);
    },
  };
}
