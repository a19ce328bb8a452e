import { and, eq, gt, sql } from "drizzle-orm";
import { randomHex, toHex, utf8 } from "../../../../lib/crypto/encoding.ts";
import type { Database } from "../../../../lib/db/client.ts";
import { auditLog, OVERLAY_TYPES, type OverlayType, overlayTokens } from "../../../../lib/db/schema/index.ts";
import { Conflict } from "../../../../lib/http/errors.ts";

/** 160 random bits, hex: unguessable, URL-safe, and recognisable by its shape before any lookup. */
const TOKEN_PATTERN = /^[0-9a-f]{40}$/;
/** How long an old URL keeps working after a rotation (the original system used 5 minutes). */
export const DEFAULT_GRACE_MS = 5 * 60_000;

export type OverlayTokenRow = typeof overlayTokens.$inferSelect;

const newToken = () => randomHex(20);
const hashToken = async (token: string) => toHex(await crypto.subtle.digest("SHA-256", utf8(token)));

/** The community's token rows, one per overlay type, creating any that are missing. */
export async function ensureTokens(db: Database, communityId: string): Promise<OverlayTokenRow[]> {
  const existing = await db.select().from(overlayTokens).where(eq(overlayTokens.communityId, communityId));
  const missing = OVERLAY_TYPES.filter((t) => !existing.some((r) => r.type === t));
  if (missing.length > 0) {
    const values = await Promise.all(
      missing.map(async (type) => {
        const token = newToken();
        return { communityId, type, token, tokenHash: await hashToken(token) };
      }),
    );
    await db.insert(overlayTokens).values(values).onConflictDoNothing();
    return db.select().from(overlayTokens).where(eq(overlayTokens.communityId, communityId));
  }
  return existing;
}

/**
 * Which community a page URL belongs to, and the token generation it carries: the current
 * token, or the previous one while its grace period lasts. Null for anything else. The lookup
 * goes by SHA-256, so how long it takes says nothing about how close a guess was.
 */
export async function resolveToken(
  db: Database,
  token: string,
  type: OverlayType,
  now = new Date(),
): Promise<{ communityId: string; generation: number } | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const hash = await hashToken(token);
  const current = await db
    .select({ communityId: overlayTokens.communityId, generation: overlayTokens.generation })
    .from(overlayTokens)
    .where(and(eq(overlayTokens.tokenHash, hash), eq(overlayTokens.type, type)))
    .get();
  if (current) return current;
  const previous = await db
    .select({ communityId: overlayTokens.communityId, generation: overlayTokens.generation })
    .from(overlayTokens)
    .where(
      and(eq(overlayTokens.previousTokenHash, hash), eq(overlayTokens.type, type), gt(overlayTokens.graceUntil, now)),
    )
    .get();
  return previous ? { communityId: previous.communityId, generation: previous.generation - 1 } : null;
}

/** Who rotated a token, for its audit entry. */
interface RotationActor {
  actorType: "user" | "api_key";
  actorId: string;
  requestId: string | null;
}

/**
 * Replaces a type's token. The old one keeps working for `graceMs` (only the latest old token
 * does: rotating again ends the earlier one's grace at once). A concurrent rotation → 409.
 * The new token and its audit entry are one D1 batch: a configuration change is never stored
 * without its trail entry, nor the entry without the change (it is inserted only if the row
 * now holds the new token's hash, so a lost race records nothing).
 */
export async function rotateToken(
  db: Database,
  communityId: string,
  type: OverlayType,
  graceMs: number,
  actor: RotationActor,
  now = new Date(),
): Promise<OverlayTokenRow> {
  const row = (await ensureTokens(db, communityId)).find((r) => r.type === type)!;
  const token = newToken();
  const tokenHash = await hashToken(token);
  const details = JSON.stringify({ generation: row.generation + 1, graceMs });
  const [updated] = await db.batch([
    db
      .update(overlayTokens)
      .set({
        token,
        tokenHash,
        previousTokenHash: row.tokenHash,
        graceUntil: new Date(now.getTime() + graceMs),
        generation: row.generation + 1,
        rotatedAt: now,
      })
      .where(and(eq(overlayTokens.id, row.id), eq(overlayTokens.generation, row.generation)))
      .returning(),
    db.insert(auditLog).select(
      db
        .select({
          id: sql`${crypto.randomUUID()}`.as("id"),
          occurredAt: sql`${now.getTime()}`.as("occurred_at"),
          requestId: sql`${actor.requestId}`.as("request_id"),
          actorType: sql`${actor.actorType}`.as("actor_type"),
          actorId: sql`${actor.actorId}`.as("actor_id"),
          communityId: sql`${communityId}`.as("community_id"),
          action: sql`'overlay.token_rotated'`.as("action"),
          targetType: sql`'overlay'`.as("target_type"),
          targetId: sql`${type}`.as("target_id"),
          outcome: sql`'success'`.as("outcome"),
          details: sql`${details}`.as("details"),
          ip: sql`NULL`.as("ip"),
        })
        .from(overlayTokens)
        .where(and(eq(overlayTokens.id, row.id), eq(overlayTokens.tokenHash, tokenHash))),
    ),
  ]);
  if (!updated[0]) throw new Conflict("The token was rotated at the same time; try again");
  return updated[0];
}
