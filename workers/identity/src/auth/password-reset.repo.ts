import { and, eq, isNull } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { passwordResetTokens, sessions, users } from "../../../../lib/db/schema/index.ts";
import { randomToken, sha256Hex } from "../crypto.ts";

const RESET_TTL_MS = 30 * 60_000;
const RESET_TOKEN_PATTERN = /^wbr_[0-9a-f]{64}$/;

/** Issues a reset token (only its hash is stored) and retires the user's earlier ones. */
export async function issueResetToken(d1: D1Database, userId: string, now = Date.now()): Promise<string> {
  const token = randomToken("wbr_");
  const db = createDb(d1);
  await db.batch([
    db
      .update(passwordResetTokens)
      .set({ usedAt: new Date(now) })
      .where(and(eq(passwordResetTokens.userId, userId), isNull(passwordResetTokens.usedAt))),
    db.insert(passwordResetTokens).values({
      userId,
      tokenHash: await sha256Hex(token),
      createdAt: new Date(now),
      expiresAt: new Date(now + RESET_TTL_MS),
    }),
  ]);
  return token;
}

/**
 * Spends a reset token: marks it used, then sets the new password hash and ends every
 * session of the user (one batch). Returns the user id, or null for a bad token.
 */
export async function redeemResetToken(
  d1: D1Database,
  token: string,
  passwordHash: string,
  now = Date.now(),
): Promise<string | null> {
  if (!RESET_TOKEN_PATTERN.test(token)) return null;
  const db = createDb(d1);
  const row = await db
    .select()
    .from(passwordResetTokens)
    .where(eq(passwordResetTokens.tokenHash, await sha256Hex(token)))
    .get();
  if (!row || row.usedAt || row.expiresAt.getTime() <= now) return null;
  // Claimed first, atomically: of two requests racing with one token, only one gets here.
  const claimed = await db
    .update(passwordResetTokens)
    .set({ usedAt: new Date(now) })
    .where(and(eq(passwordResetTokens.id, row.id), isNull(passwordResetTokens.usedAt)))
    .returning({ id: passwordResetTokens.id });
  if (!claimed.length) return null;
  await db.batch([
    db
      .update(users)
      .set({ passwordHash, updatedAt: new Date(now) })
      .where(eq(users.id, row.userId)),
    db.delete(sessions).where(eq(sessions.userId, row.userId)),
  ]);
  return row.userId;
}
