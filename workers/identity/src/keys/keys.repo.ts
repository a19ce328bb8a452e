import { and, count, desc, eq, gt, isNull, or } from "drizzle-orm";
import { displayPrefix, generateApiKey, hashApiKey } from "../../../../lib/auth/api-keys.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { apiKeys } from "../../../../lib/db/schema/index.ts";

/** At most this many live (not revoked, not expired) keys per user. */
export const MAX_KEYS_PER_USER = 20;
/** Seeds: keys expire after a year unless asked otherwise. */
export const DEFAULT_KEY_DAYS = 365;

type ApiKeyRow = typeof apiKeys.$inferSelect;

/** What a person sees of a key: never the key or its hash. */
export function publicKey(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes ?? null,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export function listKeys(d1: D1Database, userId: string) {
  return createDb(d1).select().from(apiKeys).where(eq(apiKeys.userId, userId)).orderBy(desc(apiKeys.createdAt));
}

export function findKey(d1: D1Database, userId: string, keyId: string) {
  return createDb(d1)
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, userId)))
    .get();
}

export async function countLiveKeys(d1: D1Database, userId: string, now = Date.now()): Promise<number> {
  const row = await createDb(d1)
    .select({ n: count() })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.userId, userId),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, new Date(now))),
      ),
    )
    .get();
  return row?.n ?? 0;
}

/** A new key and the row that stores it (its hash), not yet written: for batches that make a key with something else. */
export async function newKeyRow(userId: string, name: string, scopes: string[] | null, expiresAt: Date | null) {
  const key = generateApiKey();
  const row = {
    id: crypto.randomUUID(),
    userId,
    name,
    prefix: displayPrefix(key),
    keyHash: await hashApiKey(key),
    scopes,
    createdAt: new Date(),
    expiresAt,
  };
  return { key, row };
}

/** Makes a key; returns the key itself (shown once) and its stored row. */
export async function createKey(
  d1: D1Database,
  userId: string,
  input: { name: string; scopes: string[] | null; expiresAt: Date | null },
) {
  const { key, row } = await newKeyRow(userId, input.name, input.scopes, input.expiresAt);
  const stored = await createDb(d1).insert(apiKeys).values(row).returning().get();
  return { key, row: stored };
}

export async function revokeKey(d1: D1Database, userId: string, keyId: string, now = new Date()): Promise<void> {
  await createDb(d1)
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)));
}

/**
 * Replaces a key: the old one is revoked and the new one (same name, scopes and lifetime)
 * made in one D1 batch, so there is never a moment with both or neither.
 */
export async function regenerateKey(d1: D1Database, old: ApiKeyRow, now = new Date()) {
  const lifetime = old.expiresAt ? old.expiresAt.getTime() - old.createdAt.getTime() : null;
  const expiresAt = lifetime === null ? null : new Date(now.getTime() + lifetime);
  const { key, row } = await newKeyRow(old.userId, old.name, old.scopes ?? null, expiresAt);
  const db = createDb(d1);
  const [, inserted] = await db.batch([
    db
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.id, old.id), isNull(apiKeys.revokedAt))),
    db.insert(apiKeys).values(row).returning(),
  ]);
  return { key, row: inserted[0]! };
}
