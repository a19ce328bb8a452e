/**
 * One-time sign-in links (issue 16, item 7): `npm start` prints one for the local admin instead of
 * the password. The token is 256 random bits; only its SHA-256 is stored; it works for 15 minutes
 * and once: the identity worker's `GET /api/v1/auth/login-link` spends it, opens a session and
 * sends the browser to the portal. Issued from outside a Worker too (scripts/start.ts writes the
 * local D1 through Miniflare), so this file takes any D1-shaped handle and uses plain SQL.
 */
import { randomHex, sha256Hex } from "../crypto/encoding.ts";

/** Long enough to click it after `npm start`, short enough that a scrolled-back terminal leaks little. */
export const LOGIN_LINK_TTL_MS = 15 * 60_000;
const LOGIN_LINK_PATH = "/api/v1/auth/login-link";
/** The shape of a token; anything else is refused before any lookup. */
export const LOGIN_LINK_PATTERN = /^wbl_[0-9a-f]{64}$/;

/** The part of a D1 binding (Workers or Miniflare's) these statements need. */
interface D1Statements {
  prepare(sql: string): { bind(...values: unknown[]): { run(): Promise<unknown> } };
}

/**
 * Issues a sign-in link token for a user and withdraws their earlier unused ones, so only the
 * newest printed link works. Returns the token (shown once; never stored).
 */
export async function issueLoginLink(db: D1Statements, userId: string, now = Date.now()): Promise<string> {
  const token = `wbl_${randomHex(32)}`;
  await db.prepare("UPDATE login_links SET used_at = ? WHERE user_id = ? AND used_at IS NULL").bind(now, userId).run();
  await db
    .prepare("INSERT INTO login_links (token_hash, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)")
    .bind(await sha256Hex(token), userId, now + LOGIN_LINK_TTL_MS, now)
    .run();
  return token;
}

/** The URL a token is opened at (the router forwards /api/v1/auth/* to the identity worker). */
export const loginLinkUrl = (origin: string, token: string) => `${origin}${LOGIN_LINK_PATH}?token=${token}`;
