import { and, asc, eq, lt, ne, sql } from "drizzle-orm";
import { createDb } from "../db/client.ts";
import { spotifyRequests } from "../db/schema/index.ts";
import type { Track } from "./api.ts";

/** How long played and cleared requests are kept (a new request prunes older ones). */
const DONE_KEPT_MS = 7 * 86_400_000;

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
  const db = createDb(d1);
  await db.batch([
    db.insert(spotifyRequests).values({
      communityId: r.communityId,
      trackUri: r.track.uri,
      title: r.track.title.slice(0, 200),
      artist: r.track.artist.slice(0, 200),
      requestedBy: r.requestedBy.slice(0, 200),
      requesterKey: r.requesterKey,
    }),
    // Played and cleared requests are history nobody reads after a while: the list stays bounded.
    db
      .delete(spotifyRequests)
      .where(
        and(
          eq(spotifyRequests.communityId, r.communityId),
          ne(spotifyRequests.status, "pending"),
          lt(spotifyRequests.createdAt, new Date(Date.now() - DONE_KEPT_MS)),
        ),
      ),
  ]);
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
