import { and, desc, eq, gt, isNull, lt, sql } from "drizzle-orm";
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
    /** The identity that asked, for chat codes (only it may type the code back). */
    requesterPlatform: Platform | null;
    requesterPlatformUserId: string | null;
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

/**
 * The newest unused chat code this identity asked for. The requester types the code, never
 * the target: typing it proves the requester can read the target's DMs, and a code the target
 * types would let a stranger's request link the target into the stranger's account.
 */
export function latestChatCodeOf(d1: D1Database, platform: Platform, platformUserId: string) {
  return createDb(d1)
    .select()
    .from(verificationCodes)
    .where(
      and(
        eq(verificationCodes.channel, "chat"),
        eq(verificationCodes.requesterPlatform, platform),
        eq(verificationCodes.requesterPlatformUserId, platformUserId),
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

/**
 * Takes one try, atomically, BEFORE the typed code is compared: of 20 parallel `!verify`
 * lines only MAX_CODE_ATTEMPTS get a try. Returns the tries used including this one, or null
 * when the code is used, expired or out of tries.
 */
export async function reserveTry(d1: D1Database, id: string, now = Date.now()): Promise<number | null> {
  const row = await createDb(d1)
    .update(verificationCodes)
    .set({ attempts: sql`${verificationCodes.attempts} + 1` })
    .where(
      and(
        eq(verificationCodes.id, id),
        isNull(verificationCodes.usedAt),
        lt(verificationCodes.attempts, MAX_CODE_ATTEMPTS),
        gt(verificationCodes.expiresAt, new Date(now)),
      ),
    )
    .returning({ attempts: verificationCodes.attempts })
    .get();
  return row?.attempts ?? null;
}

/** Marks a code used, once: false when another request claimed it first. */
export async function claimCode(d1: D1Database, id: string, now = Date.now()): Promise<boolean> {
  const row = await createDb(d1)
    .update(verificationCodes)
    .set({ usedAt: new Date(now) })
    .where(and(eq(verificationCodes.id, id), isNull(verificationCodes.usedAt)))
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
