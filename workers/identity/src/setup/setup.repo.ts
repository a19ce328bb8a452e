import { count, eq } from "drizzle-orm";
import { hashPassword } from "../../../../lib/crypto/password.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { instanceSetupTokens, users } from "../../../../lib/db/schema/index.ts";
import { hashSetupToken } from "../../../../lib/instance/first-run.ts";

export async function ownerExists(d1: D1Database): Promise<boolean> {
  const row = await createDb(d1).select({ n: count() }).from(users).where(eq(users.instanceOwner, true)).get();
  return (row?.n ?? 0) > 0;
}

type SetupOutcome = { ok: true; userId: string } | { ok: false; reason: "unknown" | "spent" | "owner" | "email" };

/**
 * Spends a setup token and creates the instance owner, in one transaction (a D1 batch): the token
 * is marked used only while unused and unexpired, and the user is inserted only if that update
 * happened in this batch and no owner exists. Two requests racing with one token make one owner.
 */
export async function claimOwner(
  d1: D1Database,
  input: { token: string; email: string; password: string; displayName: string },
  now = Date.now(),
): Promise<SetupOutcome> {
  const hash = await hashSetupToken(input.token);
  const db = createDb(d1);
  const token = await db.select().from(instanceSetupTokens).where(eq(instanceSetupTokens.tokenHash, hash)).get();
  if (!token) return { ok: false, reason: "unknown" };
  if (token.usedAt || token.expiresAt.getTime() <= now) return { ok: false, reason: "spent" };
  if (await ownerExists(d1)) return { ok: false, reason: "owner" };
  if (await db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).get()) {
    return { ok: false, reason: "email" };
  }
  const userId = crypto.randomUUID();
  const passwordHash = await hashPassword(input.password);
  const [spend, insert] = await d1.batch([
    d1
      .prepare(
        "UPDATE instance_setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
      )
      .bind(now, hash, now),
    d1
      .prepare(
        `INSERT INTO users (id, email, password_hash, display_name, global_role, reputation_score, instance_owner, created_at, updated_at)
         SELECT ?, ?, ?, ?, 'admin', 0, 1, ?, ?
         WHERE EXISTS (SELECT 1 FROM instance_setup_tokens WHERE token_hash = ? AND used_at = ?)
           AND NOT EXISTS (SELECT 1 FROM users WHERE instance_owner = 1)`,
      )
      .bind(userId, input.email, passwordHash, input.displayName, now, now, hash, now),
  ]);
  if (!spend?.meta.changes) return { ok: false, reason: "spent" };
  if (!insert?.meta.changes) return { ok: false, reason: "owner" };
  return { ok: true, userId };
}
