/**
 * The first run of a deployed instance (issue 11): there is no account yet, so `npm run deploy`
 * either creates the instance owner from ADMIN_EMAIL / ADMIN_PASSWORD, or issues a one-time setup
 * token (printed as a URL, only its hash stored) that the identity worker's `POST
 * /api/v1/auth/setup` spends. Both paths write SQL that can only ever make one owner: the partial
 * unique index `users_one_instance_owner` refuses a second, whatever the path.
 *
 * The SQL is built as literal statements because `wrangler d1 execute --command` takes no bound
 * parameters; every value is checked or generated here, and quoted with `sqlString`.
 */
import { toHex, utf8 } from "../crypto/encoding.ts";
import { hashPassword } from "../crypto/password.ts";

/** A setup URL works for a day: long enough to open it after a deploy, short enough to leak little. */
const SETUP_TOKEN_TTL_MS = 24 * 60 * 60_000;
export const MIN_PASSWORD_LENGTH = 12;

/** SHA-256 hex of a setup token: its stored form. */
export async function hashSetupToken(token: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", utf8(token)));
}

/** A fresh token: `wbs_` + 64 hex (256 bits). */
function generateSetupToken(): string {
  return `wbs_${toHex(crypto.getRandomValues(new Uint8Array(32)))}`;
}

/** The shape a setup token has; anything else is refused before any lookup. */
export const SETUP_TOKEN_PATTERN = /^wbs_[0-9a-f]{64}$/;

/** A SQL string literal. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The query deploy runs first: is there an owner already? */
export const OWNER_EXISTS_SQL = "SELECT count(*) AS n FROM users WHERE instance_owner = 1";

/**
 * Creates the instance owner from the deploy's secrets, or makes an existing account with that
 * email the owner. A second owner fails on the unique index; deploy checks first and says so.
 */
export async function ownerFromSecretsSql(email: string, password: string, now = Date.now()): Promise<string> {
  const normalized = email.trim().toLowerCase();
  if (!/^[^\s@']+@[^\s@']+\.[^\s@']+$/.test(normalized)) throw new Error("ADMIN_EMAIL is not an email address");
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new Error(`ADMIN_PASSWORD must have at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const hash = await hashPassword(password);
  return (
    `INSERT INTO users (id, email, password_hash, display_name, global_role, reputation_score, instance_owner, created_at, updated_at) ` +
    `VALUES (${sqlString(crypto.randomUUID())}, ${sqlString(normalized)}, ${sqlString(hash)}, 'Owner', 'admin', 0, 1, ${now}, ${now}) ` +
    `ON CONFLICT(email) DO UPDATE SET password_hash = excluded.password_hash, global_role = 'admin', instance_owner = 1, updated_at = excluded.updated_at`
  );
}

/** Stores a new setup token's hash (earlier unused tokens are withdrawn: one live URL at a time). */
export async function setupTokenSql(now = Date.now()): Promise<{ token: string; sql: string[] }> {
  const token = generateSetupToken();
  const hash = await hashSetupToken(token);
  const sql = [
    `UPDATE instance_setup_tokens SET used_at = ${now} WHERE used_at IS NULL`,
    `INSERT INTO instance_setup_tokens (token_hash, expires_at, created_at) VALUES (${sqlString(hash)}, ${now + SETUP_TOKEN_TTL_MS}, ${now})`,
  ];
  return { token, sql };
}

/** The portal page that spends it. The token rides in the fragment, which no server or proxy log sees. */
export function setupUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/setup#token=${token}`;
}
