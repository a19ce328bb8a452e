import { and, eq, sql } from "drizzle-orm";
import { createDb, type Database } from "../db/client.ts";
import { communityMembers, type Platform, userIdentities, users } from "../db/schema/index.ts";
import { isSimulatedUserId, SIMULATED_IDENTITY_REFUSAL } from "../events/simulated.ts";

/**
 * The internal user behind a platform account, created on first sight (with the platform
 * identity attached, unverified). Users are never keyed by one platform's id.
 */
export async function ensurePlatformUser(
  d1: D1Database,
  platform: Platform,
  platformUserId: string,
  username: string,
): Promise<string> {
  // Defence in depth: a simulated user (sim:…) must never become a user who could log in.
  if (isSimulatedUserId(platformUserId)) throw new Error(SIMULATED_IDENTITY_REFUSAL);
  const db = createDb(d1);
  const find = () =>
    db
      .select({ userId: userIdentities.userId })
      .from(userIdentities)
      .where(and(eq(userIdentities.platform, platform), eq(userIdentities.platformUserId, platformUserId)))
      .get();
  const existing = await find();
  if (existing) return existing.userId;
  const userId = crypto.randomUUID();
  // One batch (a transaction in D1): never a user without its identity. If another request
  // created the identity first, the conflict rolls this one back and we read theirs.
  try {
    await db.batch([
      db.insert(users).values({ id: userId, displayName: username || platformUserId, primaryPlatform: platform }),
      db.insert(userIdentities).values({ userId, platform, platformUserId, username: username || platformUserId }),
    ]);
    return userId;
  } catch (err) {
    const raced = await find();
    if (raced) return raced.userId;
    throw err;
  }
}

/** The points upsert as a statement, for callers that put it in a batch with other writes. */
export function awardPointsStatement(db: Database, communityId: string, userId: string, delta: number) {
  return db
    .insert(communityMembers)
    .values({ communityId, userId, role: "member", points: delta })
    .onConflictDoUpdate({
      target: [communityMembers.communityId, communityMembers.userId],
      set: { points: sql`${communityMembers.points} + ${delta}` },
    });
}

/** Adds (or, with a negative delta, takes) activity points; makes the membership if needed. */
export async function awardPoints(d1: D1Database, communityId: string, userId: string, delta: number): Promise<void> {
  await awardPointsStatement(createDb(d1), communityId, userId, delta);
}
