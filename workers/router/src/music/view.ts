import { and, asc, eq, inArray } from "drizzle-orm";
import type * as z from "zod";
import { createDb } from "../../../../lib/db/client.ts";
import { musicQueue } from "../../../../lib/db/schema/index.ts";
import { spotifyFor } from "../../../../lib/spotify/api.ts";
import { SpotifyError } from "../../../../lib/spotify/config.ts";
import { listPending } from "../../../../lib/spotify/requests.ts";
import { getAccount } from "../../../../lib/spotify/store.ts";
import type { Env } from "../env.ts";
import type { MusicView } from "./music.schema.ts";

/** What the Music page shows; Spotify is asked live (the page is opened by a person, not polled hard). */
export async function musicView(env: Env, communityId: string): Promise<z.infer<typeof MusicView>> {
  const account = await getAccount(env, communityId);
  let nowPlaying: z.infer<typeof MusicView>["spotify"]["nowPlaying"] = null;
  let problem: string | null = null;
  if (account?.status === "active") {
    try {
      const np = await (await spotifyFor(env, communityId))?.nowPlaying();
      if (np) {
        const { uri: _uri, ...track } = np.track;
        nowPlaying = { ...track, positionMs: np.progressMs, isPlaying: np.isPlaying };
      }
    } catch (err) {
      if (!(err instanceof SpotifyError)) throw err;
      problem = err.message;
    }
  }
  const requests = await listPending(env.DB, communityId);
  const yt = await createDb(env.DB)
    .select({
      id: musicQueue.id,
      title: musicQueue.title,
      artist: musicQueue.artist,
      requestedBy: musicQueue.requestedBy,
      status: musicQueue.status,
    })
    .from(musicQueue)
    .where(and(eq(musicQueue.communityId, communityId), inArray(musicQueue.status, ["queued", "playing"])))
    .orderBy(asc(musicQueue.seq))
    .limit(51);
  const strip = ({ status: _s, ...r }: (typeof yt)[number]) => r;
  const playing = yt.find((r) => r.status === "playing");
  return {
    spotify: {
      configured: Boolean(env.SPOTIFY_CLIENT_ID),
      status: account?.status ?? null,
      account: account ? { id: account.accountId, name: account.accountName } : null,
      scopes: account?.scopes ?? [],
      nowPlaying,
      problem,
      requests: requests.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    },
    youtube: {
      playing: playing ? strip(playing) : null,
      queue: yt
        .filter((r) => r.status === "queued")
        .slice(0, 50)
        .map(strip),
    },
  };
}
