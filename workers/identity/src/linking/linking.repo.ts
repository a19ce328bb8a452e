import { and, desc, eq, isNull, lt, sql } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { type Platform, userIdentities, users, verificationCodes } from "../../../../lib/db/schema/index.ts";
import { CODE_TTL_MS, hashCode, MAX_CODE_ATTEMPTS } from "./codes.ts";

export type CodeRow = typeof verificationCodes.$inferSelect;

/** Stores a new code (hashed) and retires the requester's earlier codes for the same target. */
export async function insertCode(
  d1: D1Database,
  input: {
    requesterUserId: string;
    channel: "chat" | "portal";
    targetPlatform: Platform;
    targetPlatformUserId: string;
    targetUsername: string;
  },
  code: string,
  now = Date.now(),
): Promise<string> {
  const db = createDb(d1);
  const id = crypto.randomUUID();
  await db.batch([
    db
      .update(verificationCodes)
      .set({ usedAt: new Date(now) })
      .where(
        and(
          eq(verificationCodes.requesterUserId, input.requesterUserId),
          eq(verificationCodes.targetPlatform, input.targetPlatform),
          eq(verificationCodes.targetPlatformUserId, input.targetPlatformUserId),
          isNull(verificationCodes.usedAt),
        ),
      ),
    db.insert(verificationCodes).values({
      id,
      ...input,
      codeHash: await hashCode(id, code),
      createdAt: new Date(now),
      expiresAt: new Date(now + CODE_TTL_MS),
    }),
  ]);
  return id;
}

export async function deleteCode(d1: D1Database, id: string): Promise<void> {
  await createDb(d1).delete(verificationCodes).where(eq(verificationCodes.id, id));
}

/** The newest unused code a chat identity was sent. */
export function latestCodeForTarget(d1: D1Database, platform: Platform, platformUserId: string) {
  return createDb(d1)
    .select()
    .from(verificationCodes)
    .where(
      and(
        eq(verificationCodes.channel, "chat"),
        eq(verificationCodes.targetPlatform, platform),
        eq(verificationCodes.targetPlatformUserId, platformUserId),
        isNull(verificationCodes.usedAt),
      ),
    )
    .orderBy(desc(verificationCodes.createdAt))
    .get();
}

/** The newest unused code a portal user asked for. */
export function latestPortalCode(d1: D1Database, userId: string) {
  return createDb(d1)
    .select()
    .from(verificationCodes)
    .where(
      and(
        eq(verificationCodes.channel, "portal"),
        eq(verificationCodes.requesterUserId, userId),
        isNull(verificationCodes.usedAt),
      ),
    )
    .orderBy(desc(verificationCodes.createdAt))
    .get();
}

/** Counts a wrong try (atomically); returns the tries used so far. */
export async function recordWrongTry(d1: D1Database, id: string): Promise<number> {
  const row = await createDb(d1)
    .update(verificationCodes)
    .set({ attempts: sql`${verificationCodes.attempts} + 1` })
    .where(eq(verificationCodes.id, id))
    .returning({ attempts: verificationCodes.attempts })
    .get();
  return row?.attempts ?? MAX_CODE_ATTEMPTS;
}

/** Marks a code used, once: false when another request claimed it first or it has died. */
export async function claimCode(d1: D1Database, id: string, now = Date.now()): Promise<boolean> {
  const row = await createDb(d1)
    .update(verificationCodes)
    .set({ usedAt: new Date(now) })
    .where(
      and(
        eq(verificationCodes.id, id),
        isNull(verificationCodes.usedAt),
        lt(verificationCodes.attempts, MAX_CODE_ATTEMPTS),
      ),
    )
    .returning({ id: verificationCodes.id })
    .get();
  return row !== undefined;
}

export function findIdentity(d1: D1Database, platform: Platform, platformUserId: string) {
  return createDb(d1)
    .select()
    .from(userIdentities)
    .where(and(eq(userIdentities.platform, platform), eq(userIdentities.platformUserId, platformUserId)))
    .get();
}

export function identitiesOf(d1: D1Database, userId: string) {
  return createDb(d1)
    .select()
    .from(userIdentities)
    .where(eq(userIdentities.userId, userId))
    .orderBy(userIdentities.createdAt);
}

export function findUser(d1: D1Database, userId: string) {
  return createDb(d1).select().from(users).where(eq(users.id, userId)).get();
}
