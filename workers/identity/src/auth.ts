import { and, eq } from "drizzle-orm";
import { recordAudit } from "../../../lib/audit.ts";
import { hashApiKey, looksLikeApiKey } from "../../../lib/auth/api-keys.ts";
import type { Credentials } from "../../../lib/auth/hono.ts";
import { type Permission, type Principal, roleAllows } from "../../../lib/auth/permissions.ts";
import { createDb } from "../../../lib/db/client.ts";
import { apiKeys, communityMembers, users } from "../../../lib/db/schema/index.ts";
import type { Env } from "./env.ts";

/** Throttle for last_used_at writes: one write per key per minute is enough to be useful. */
const LAST_USED_GRANULARITY_MS = 60_000;

/** `Authorization: Bearer wbk_…` → the key's owner, or null for a missing/bad/revoked/expired key. */
export async function authenticateApiKey(env: Env, authorization: string | null, ctx?: ExecutionContext) {
  const match = authorization?.match(/^Bearer\s+(\S+)$/i);
  if (!match?.[1] || !looksLikeApiKey(match[1])) return null;
  const db = createDb(env.DB);
  // Looked up by hash: the stored value is never compared character by character.
  const row = await db
    .select({ key: apiKeys, user: users })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(eq(apiKeys.keyHash, await hashApiKey(match[1])))
    .get();
  const now = Date.now();
  if (!row || row.key.revokedAt || row.user.disabledAt) return null;
  if (row.key.expiresAt && row.key.expiresAt.getTime() <= now) return null;
  if (!row.key.lastUsedAt || now - row.key.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
    const touch = db
      .update(apiKeys)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(apiKeys.id, row.key.id));
    if (ctx) ctx.waitUntil(touch.then(() => undefined));
    else await touch;
  }
  const principal: Principal = {
    userId: row.user.id,
    displayName: row.user.displayName,
    email: row.user.email,
    globalRole: row.user.globalRole,
    via: "api_key",
    apiKeyId: row.key.id,
    scopes: row.key.scopes ?? null,
  };
  return principal;
}

/** Establishes who is calling. Sessions (cookie) join API keys here. */
export async function authenticate(env: Env, credentials: Credentials, ctx?: ExecutionContext) {
  return authenticateApiKey(env, credentials.authorization, ctx);
}

/** The one authorisation decision; every denial is audited. */
export async function authorize(
  env: Env,
  principal: Principal,
  communityId: string,
  permission: Permission,
  requestId?: string | null,
): Promise<boolean> {
  const member = await createDb(env.DB)
    .select({ role: communityMembers.role })
    .from(communityMembers)
    .where(and(eq(communityMembers.communityId, communityId), eq(communityMembers.userId, principal.userId)))
    .get();
  const allowed = roleAllows(principal, member?.role ?? null, permission);
  if (!allowed) {
    await recordAudit(env.DB, {
      requestId: requestId ?? null,
      actorType: principal.via === "api_key" ? "api_key" : "user",
      actorId: principal.userId,
      communityId,
      action: "authorize",
      targetType: "permission",
      targetId: permission,
      outcome: "denied",
      details: { role: member?.role ?? null, apiKeyId: principal.apiKeyId ?? null },
    });
  }
  return allowed;
}
