import { and, eq, sql } from "drizzle-orm";
import { createDb } from "../db/client.ts";
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

/** Adds (or, with a negative delta, takes) activity points; makes the membership if needed. */
export async function awardPoints(d1: D1Database, communityId: string, userId: string, delta: number): Promise<void> {
  await createDb(d1)
    .insert(communityMembers)
    .values({ communityId, userId, role: "member", points: delta })
    .onConflictDoUpdate({
      target: [communityMembers.communityId, communityMembers.userId],
      set: { points: sql`${communityMembers.points} + ${delta}` },
    });
}

/** One event's activity points, to be awarded once (keyed by the event's delivery key). */
export interface PointsAward {
  /** The event's key (`{source}:{delivery id}`): its `points` mark in ingress_effects. */
  key: string;
  communityId: string;
  platform: Platform;
  platformUserId: string;
  username: string;
  points: number;
}

// The user behind a platform account is found (or made) inside the write itself, so an award
// costs no read first, and an identity moved by a link merge is followed at commit time.
const NO_IDENTITY = "NOT EXISTS (SELECT 1 FROM user_identities WHERE platform = ?3 AND platform_user_id = ?4)";
const NEW_USER = `INSERT INTO users (id, display_name, primary_platform, reputation_score, global_role, created_at, updated_at)
  SELECT ?1, ?2, ?3, 0, 'user', ?5, ?5 WHERE ${NO_IDENTITY}`;
const NEW_IDENTITY = `INSERT INTO user_identities (id, user_id, platform, platform_user_id, username, created_at)
  SELECT ?6, ?1, ?3, ?4, ?2, ?5 WHERE ${NO_IDENTITY}`;
// Only while the event has no `points` mark: a redelivered event adds nothing.
const ADD_POINTS = `INSERT INTO community_members (community_id, user_id, role, points, joined_at)
  SELECT ?1, ui.user_id, 'member', ?2, ?3 FROM user_identities ui
  WHERE ui.platform = ?4 AND ui.platform_user_id = ?5
    AND NOT EXISTS (SELECT 1 FROM ingress_effects WHERE event_key = ?6 AND effect = 'points')
  ON CONFLICT (community_id, user_id) DO UPDATE SET points = points + excluded.points`;
const MARK = `INSERT INTO ingress_effects (event_key, effect, data, created_at) VALUES (?1, 'points', NULL, ?2)
  ON CONFLICT DO NOTHING`;

/**
 * The statements that award one event's points exactly once, for a D1 batch (a transaction):
 * make the user and identity if the account is new (as ensurePlatformUser does: never a user
 * without its identity), add the points unless the event's `points` mark exists, write the mark.
 * Statements run in order inside the transaction, so several awards in one batch, even two for
 * the same event, still add each event's points once.
 */
export function awardPointsOnceStatements(d1: D1Database, a: PointsAward, now = Date.now()): D1PreparedStatement[] {
  // Defence in depth: a simulated user (sim:…) must never become a user who could log in.
  if (isSimulatedUserId(a.platformUserId)) throw new Error(SIMULATED_IDENTITY_REFUSAL);
  const name = a.username || a.platformUserId;
  const userId = crypto.randomUUID();
  return [
    d1.prepare(NEW_USER).bind(userId, name, a.platform, a.platformUserId, now),
    d1.prepare(NEW_IDENTITY).bind(userId, name, a.platform, a.platformUserId, now, crypto.randomUUID()),
    d1.prepare(ADD_POINTS).bind(a.communityId, a.points, now, a.platform, a.platformUserId, a.key),
    d1.prepare(MARK).bind(a.key, now),
  ];
}
