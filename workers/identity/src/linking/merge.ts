import type { Platform } from "../../../../lib/db/schema/index.ts";
import { Conflict } from "../../../../lib/http/errors.ts";
import { findIdentity, findUser } from "./linking.repo.ts";

const ROLE_RANK_SQL = (col: string) =>
  `CASE ${col} WHEN 'owner' THEN 4 WHEN 'admin' THEN 3 WHEN 'moderator' THEN 2 ELSE 1 END`;

export interface LinkOutcome {
  /** The user who now holds both identities. */
  userId: string;
  /** The user merged into it and deleted (null when the identity was new to us). */
  mergedUserId: string | null;
}

/**
 * Attaches the identity (platform, platformUserId) to `userId`. When the identity already
 * belongs to another user, that user is merged in: identities and API keys move over, points
 * are summed per community (keeping the higher role), community ownership moves, and the
 * merged user is deleted. One D1 batch: it all happens or none of it does.
 *
 * Used by platform OAuth only, where the browser has just proved it controls the platform
 * account (which can already sign in to the user holding it). Chat and portal codes go
 * through link-policy.ts, which never merges into an account with a login unasked.
 * The survivor is `userId`, unless only the other user has a portal login (email), so a
 * person never loses the account they sign in with. Two portal accounts are not merged.
 */
export async function linkIdentity(
  d1: D1Database,
  userId: string,
  identity: { platform: Platform; platformUserId: string; username: string },
  now = Date.now(),
): Promise<LinkOutcome> {
  const existing = await findIdentity(d1, identity.platform, identity.platformUserId);
  if (!existing || existing.userId === userId) return attachIdentity(d1, userId, identity, now);
  const [a, b] = await Promise.all([findUser(d1, userId), findUser(d1, existing.userId)]);
  if (!a || !b) throw new Conflict("One of the accounts no longer exists");
  if (a.email && b.email) throw new Conflict("Both accounts have a portal login; they cannot be merged automatically");
  const survivor = !a.email && b.email ? b.id : a.id;
  return mergeUsers(d1, survivor, survivor === a.id ? b.id : a.id, identity, now);
}

/** Gives `userId` an identity no other user holds (or re-verifies one it holds already). */
export async function attachIdentity(
  d1: D1Database,
  userId: string,
  identity: { platform: Platform; platformUserId: string; username: string },
  now = Date.now(),
): Promise<LinkOutcome> {
  await d1
    .prepare(
      `INSERT INTO user_identities (id, user_id, platform, platform_user_id, username, verified_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(platform, platform_user_id) DO UPDATE SET verified_at = excluded.verified_at
       WHERE user_identities.user_id = excluded.user_id`,
    )
    .bind(crypto.randomUUID(), userId, identity.platform, identity.platformUserId, identity.username, now, now)
    .run();
  return { userId, mergedUserId: null };
}

/** Folds user `merged` into `survivor` and marks the identity verified: one batch. */
export async function mergeUsers(
  d1: D1Database,
  survivor: string,
  merged: string,
  identity: { platform: Platform; platformUserId: string },
  now = Date.now(),
): Promise<LinkOutcome> {
  await d1.batch([
    ...mergeStatements(d1, survivor, merged, now),
    d1
      .prepare("UPDATE user_identities SET verified_at = ? WHERE platform = ? AND platform_user_id = ?")
      .bind(now, identity.platform, identity.platformUserId),
  ]);
  return { userId: survivor, mergedUserId: merged };
}

/** The statements that fold user `merged` into user `survivor` (run as one batch). */
function mergeStatements(d1: D1Database, survivor: string, merged: string, now: number): D1PreparedStatement[] {
  return [
    // Points add up per community; the higher role and the earlier join date win.
    d1
      .prepare(
        `INSERT INTO community_members (community_id, user_id, role, points, joined_at)
         SELECT community_id, ?1, role, points, joined_at FROM community_members WHERE user_id = ?2
         ON CONFLICT(community_id, user_id) DO UPDATE SET
           points = community_members.points + excluded.points,
           role = CASE WHEN ${ROLE_RANK_SQL("excluded.role")} > ${ROLE_RANK_SQL("community_members.role")}
                       THEN excluded.role ELSE community_members.role END,
           joined_at = min(community_members.joined_at, excluded.joined_at)`,
      )
      .bind(survivor, merged),
    d1.prepare("DELETE FROM community_members WHERE user_id = ?").bind(merged),
    d1.prepare("UPDATE user_identities SET user_id = ?1 WHERE user_id = ?2").bind(survivor, merged),
    // Keys were made by the same person; they keep their scopes and now act as the merged user.
    d1.prepare("UPDATE api_keys SET user_id = ?1 WHERE user_id = ?2").bind(survivor, merged),
    d1.prepare("UPDATE communities SET owner_user_id = ?1 WHERE owner_user_id = ?2").bind(survivor, merged),
    d1
      .prepare(
        `UPDATE users SET
           reputation_score = reputation_score + (SELECT reputation_score FROM users WHERE id = ?2),
           global_role = CASE WHEN (SELECT global_role FROM users WHERE id = ?2) = 'admin' THEN 'admin' ELSE global_role END,
           updated_at = ?3
         WHERE id = ?1`,
      )
      .bind(survivor, merged, now),
    // Whatever still points at the merged user (sessions, reset tokens, codes) goes with it.
    d1.prepare("DELETE FROM users WHERE id = ?").bind(merged),
  ];
}
