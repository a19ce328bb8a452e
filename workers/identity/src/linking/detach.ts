import type { Platform } from "../../../../lib/db/schema/index.ts";

/**
 * Unlinks an identity: it moves to a fresh user of its own (the platform account still
 * exists and the bot will see it again). Points stay with the user it leaves. One batch.
 */
export async function detachIdentity(
  d1: D1Database,
  identity: { id: string; platform: Platform; username: string },
  now = Date.now(),
): Promise<string> {
  const userId = crypto.randomUUID();
  await d1.batch([
    d1
      .prepare(
        `INSERT INTO users (id, display_name, primary_platform, reputation_score, global_role, created_at, updated_at)
         VALUES (?, ?, ?, 0, 'user', ?, ?)`,
      )
      .bind(userId, identity.username, identity.platform, now, now),
    d1.prepare("UPDATE user_identities SET user_id = ?, verified_at = NULL WHERE id = ?").bind(userId, identity.id),
  ]);
  return userId;
}
