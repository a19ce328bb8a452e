import { LOGIN_LINK_PATTERN } from "../../../../lib/auth/login-links.ts";
import { sha256Hex } from "../../../../lib/crypto/encoding.ts";

type LoginLinkOutcome =
  | { ok: true; userId: string }
  | { ok: false; reason: "malformed" | "unknown" | "spent" | "disabled" };

/**
 * Spends a sign-in link token: one UPDATE … RETURNING marks it used only while unused and
 * unexpired, so of two requests racing with one link only one signs in. A failure is then told
 * apart (never seen vs used or expired) for the page the browser shows.
 */
export async function spendLoginLink(d1: D1Database, token: string, now = Date.now()): Promise<LoginLinkOutcome> {
  if (!LOGIN_LINK_PATTERN.test(token)) return { ok: false, reason: "malformed" };
  const hash = await sha256Hex(token);
  const spent = await d1
    .prepare(
      `UPDATE login_links SET used_at = ?1 WHERE token_hash = ?2 AND used_at IS NULL AND expires_at > ?1
       RETURNING user_id, (SELECT disabled_at FROM users WHERE users.id = login_links.user_id) AS disabled_at`,
    )
    .bind(now, hash)
    .first<{ user_id: string; disabled_at: number | null }>();
  if (spent) return spent.disabled_at ? { ok: false, reason: "disabled" } : { ok: true, userId: spent.user_id };
  const known = await d1.prepare("SELECT 1 FROM login_links WHERE token_hash = ?").bind(hash).first();
  return { ok: false, reason: known ? "spent" : "unknown" };
}
