import { eq } from "drizzle-orm";
import { recordAudit } from "../../../../lib/audit.ts";
import { hashApiKey, looksLikeApiKey } from "../../../../lib/auth/api-keys.ts";
import type { Credentials } from "../../../../lib/auth/hono.ts";
import type { Principal } from "../../../../lib/auth/permissions.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { apiKeys, serviceAccounts, users } from "../../../../lib/db/schema/index.ts";
import type { AuthResult } from "../../../../lib/rpc.ts";
import type { Env } from "../env.ts";
import { parseCookies, SESSION_COOKIE } from "../sessions/cookies.ts";
import { csrfOk, isStateChanging } from "../sessions/csrf.ts";
import { findSession } from "../sessions/sessions.repo.ts";

/** Throttle for last_used_at writes: one write per key per minute is enough to be useful. */
const LAST_USED_GRANULARITY_MS = 60_000;

/** All authenticate needs of an ExecutionContext (Hono's and the entrypoint's differ in type). */
type WaitUntil = { waitUntil(promise: Promise<unknown>): void };

export type { AuthResult } from "../../../../lib/rpc.ts";

/** `Authorization: Bearer wbk_…` → the key's owner, or null for a missing/bad/revoked/expired key. */
async function authenticateApiKey(
  env: Env,
  authorization: string | null,
  ctx?: WaitUntil,
  now = Date.now(),
  requestId: string | null = null,
): Promise<Principal | null> {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (!match?.[1] || !looksLikeApiKey(match[1])) return null;
  const db = createDb(env.DB);
  // Looked up by hash: the stored value is never compared character by character.
  const row = await db
    .select({ key: apiKeys, user: users, serviceRole: serviceAccounts.role })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .leftJoin(serviceAccounts, eq(serviceAccounts.userId, users.id))
    .where(eq(apiKeys.keyHash, await hashApiKey(match[1])))
    .get();
  if (!row) return null;
  const dead = row.key.revokedAt
    ? "revoked"
    : row.key.expiresAt && row.key.expiresAt.getTime() <= now
      ? "expired"
      : row.user.disabledAt
        ? "user disabled"
        : null;
  if (dead) {
    // A known key that no longer works is worth a trail entry (a leaked key being tried, say).
    await recordAudit(env.DB, {
      requestId,
      actorType: row.serviceRole ? "service" : "api_key",
      actorId: row.user.id,
      action: "auth.api_key",
      targetType: "api_key",
      targetId: row.key.id,
      outcome: "denied",
      details: { reason: dead },
    });
    return null;
  }
  if (!row.key.lastUsedAt || now - row.key.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
    const touch = db
      .update(apiKeys)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(apiKeys.id, row.key.id));
    if (ctx) ctx.waitUntil(touch.then(() => undefined));
    else await touch;
  }
  return {
    userId: row.user.id,
    displayName: row.user.displayName,
    email: row.user.email,
    globalRole: row.user.globalRole,
    via: "api_key",
    apiKeyId: row.key.id,
    scopes: row.key.scopes ?? null,
    serviceRole: row.serviceRole ?? null,
    instanceOwner: row.user.instanceOwner,
  };
}

/**
 * Establishes who is calling. An Authorization header decides alone (API keys are exempt
 * from CSRF: a browser never attaches them by itself). Otherwise the `wb_session` cookie, and
 * for state-changing methods the CSRF token bound to that session plus the Origin check.
 */
export async function authenticateDetailed(
  env: Env,
  credentials: Credentials,
  ctx?: WaitUntil,
  now = Date.now(),
): Promise<AuthResult> {
  if (credentials.authorization) {
    const principal = await authenticateApiKey(env, credentials.authorization, ctx, now, credentials.requestId);
    return principal ? { principal } : { principal: null, failure: "invalid" };
  }
  const token = parseCookies(credentials.cookie)[SESSION_COOKIE];
  if (!token) return { principal: null, failure: "missing" };
  const found = await findSession(env, token, now);
  if (!found) return { principal: null, failure: "invalid" };
  if (isStateChanging(credentials.method) && !(await csrfOk(env, token, credentials.csrfToken, credentials.origin))) {
    await recordAudit(env.DB, {
      requestId: credentials.requestId,
      actorType: "user",
      actorId: found.user.id,
      action: "auth.csrf",
      outcome: "denied",
      details: { method: credentials.method, origin: credentials.origin },
      ip: credentials.ip,
    });
    return { principal: null, failure: "csrf" };
  }
  return {
    principal: {
      userId: found.user.id,
      displayName: found.user.displayName,
      email: found.user.email,
      globalRole: found.user.globalRole,
      via: "session",
      sessionId: found.session.id,
      scopes: null,
      instanceOwner: found.user.instanceOwner,
    },
  };
}

/** The RPC contract: a principal or null. */
export async function authenticate(env: Env, credentials: Credentials, ctx?: WaitUntil) {
  return (await authenticateDetailed(env, credentials, ctx)).principal;
}
