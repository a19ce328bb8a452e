import { and, asc, eq, sql } from "drizzle-orm";
import { createDb } from "../db/client.ts";
import { spotifyRequests } from "../db/schema/index.ts";
import type { Track } from "./api.ts";

/** The `!sr` request list: the module adds to it, the poll marks what played, moderators clear it. */
const pending = (communityId: string) =>
  and(eq(spotifyRequests.communityId, communityId), eq(spotifyRequests.status, "pending"));

export async function pendingOf(d1: D1Database, communityId: string, requesterKey: string): Promise<number> {
  const row = await createDb(d1)
    .select({ n: sql<number>`count(*)` })
    .from(spotifyRequests)
    .where(and(pending(communityId), eq(spotifyRequests.requesterKey, requesterKey)))
    .get();
  return row?.n ?? 0;
}

export async function addRequest(
  d1: D1Database,
  r: { communityId: string; track: Track; requestedBy: string; requesterKey: string },
) {
  await createDb(d1)
    .insert(spotifyRequests)
    .values({
      communityId: r.communityId,
      trackUri: r.track.uri,
      title: r.track.title.slice(0, 200),
      artist: r.track.artist.slice(0, 200),
      requestedBy: r.requestedBy.slice(0, 200),
      requesterKey: r.requesterKey,
    });
}

export function listPending(d1: D1Database, communityId: string, limit = 50) {
  return createDb(d1)
    .select({
      id: spotifyRequests.id,
      title: spotifyRequests.title,
      artist: spotifyRequests.artist,
      requestedBy: spotifyRequests.requestedBy,
      createdAt: spotifyRequests.createdAt,
    })
    .from(spotifyRequests)
    .where(pending(communityId))
    .orderBy(asc(spotifyRequests.createdAt))
    .limit(limit);
}

/** Clears the pending requests; how many there were. */
export async function clearPending(d1: D1Database, communityId: string): Promise<number> {
  const rows = await createDb(d1)
    .update(spotifyRequests)
    .set({ status: "cleared" })
    .where(pending(communityId))
    .returning({ id: spotifyRequests.id });
  return rows.length;
}

/** Spotify plays `uri`: the oldest pending request for it is done (frees its requester's slot). */
export async function markPlayed(d1: D1Database, communityId: string, uri: string) {
  const db = createDb(d1);
  const first = await db
    .select({ id: spotifyRequests.id })
    .from(spotifyRequests)
    .where(and(pending(communityId), eq(spotifyRequests.trackUri, uri)))
    .orderBy(asc(spotifyRequests.createdAt))
    .get();
  if (first) await db.update(spotifyRequests).set({ status: "played" }).where(eq(spotifyRequests.id, first.id));
}
