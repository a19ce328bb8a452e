import { eq } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { sessions, users } from "../../../../lib/db/schema/index.ts";
import { randomToken, sha256Hex } from "../crypto.ts";
import type { Env } from "../env.ts";

const SESSION_TOKEN_PREFIX = "wbs_";
const SESSION_TOKEN_PATTERN = /^wbs_[0-9a-f]{64}$/;
const DEFAULT_TTL_SECONDS = 3600;
/** However active a session is, it ends after a week: a stolen cookie does not live forever. */
const MAX_SESSION_AGE_MS = 7 * 24 * 3600_000;
/** Sliding the expiry costs a write; once a minute per session is precise enough. */
const SLIDE_GRANULARITY_MS = 60_000;

function sessionTtlMs(env: Env): number {
  const seconds = Number(env.SESSION_TTL_SECONDS);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_TTL_SECONDS) * 1000;
}

function looksLikeSessionToken(value: string): boolean {
  return SESSION_TOKEN_PATTERN.test(value);
}

/** The CSRF token bound to a session: derived from its secret, so nothing more is stored. */
export function csrfTokenFor(sessionToken: string): Promise<string> {
  return sha256Hex(`csrf:${sessionToken}`);
}

/** Starts a session; returns the cookie value (shown to the browser only). */
export async function createSession(env: Env, userId: string, ip: string | null, now = Date.now()) {
  const token = randomToken(SESSION_TOKEN_PREFIX);
  const expiresAt = new Date(now + sessionTtlMs(env));
  const id = crypto.randomUUID();
  const db = createDb(env.DB);
  // last_login_at marks the account as one with a portal login, which chat linking must
  // never merge into without its owner's approval (linking/link-policy.ts).
  await db.batch([
    db.insert(sessions).values({
      id,
      tokenHash: await sha256Hex(token),
      userId,
      createdAt: new Date(now),
      lastSeenAt: new Date(now),
      expiresAt,
      ip,
    }),
    db
      .update(users)
      .set({ lastLoginAt: new Date(now) })
      .where(eq(users.id, userId)),
  ]);
  return { id, token, expiresAt };
}

/**
 * The live session for a cookie value and its user, sliding its expiry forward; null for an
 * unknown, expired, too old or malformed token, or a disabled user.
 */
export async function findSession(env: Env, token: string, now = Date.now()) {
  if (!looksLikeSessionToken(token)) return null;
  const db = createDb(env.DB);
  const row = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.tokenHash, await sha256Hex(token)))
    .get();
  if (!row || row.user.disabledAt) return null;
  const { session } = row;
  if (session.expiresAt.getTime() <= now || session.createdAt.getTime() + MAX_SESSION_AGE_MS <= now) {
    await db.delete(sessions).where(eq(sessions.id, session.id));
    return null;
  }
  if (now - session.lastSeenAt.getTime() >= SLIDE_GRANULARITY_MS) {
    await db
      .update(sessions)
      .set({ lastSeenAt: new Date(now), expiresAt: new Date(now + sessionTtlMs(env)) })
      .where(eq(sessions.id, session.id));
  }
  return row;
}

export async function deleteSessionByToken(env: Env, token: string): Promise<void> {
  if (!looksLikeSessionToken(token)) return;
  await createDb(env.DB)
    .delete(sessions)
    .where(eq(sessions.tokenHash, await sha256Hex(token)));
}
