import { and, eq, isNull, sql } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import {
  type CommunityRole,
  communities,
  communityMembers,
  memberInvites,
  users,
} from "../../../../lib/db/schema/index.ts";
import { randomToken, sha256Hex } from "../crypto.ts";

const INVITE_TTL_MS = 7 * 24 * 3600_000;
const INVITE_TOKEN_PATTERN = /^wbi_[0-9a-f]{64}$/;

export type InviteRow = typeof memberInvites.$inferSelect;

export function findCommunity(d1: D1Database, communityId: string) {
  return createDb(d1)
    .select({ id: communities.id, name: communities.name })
    .from(communities)
    .where(eq(communities.id, communityId))
    .get();
}

/**
 * Issues an invite (only the token's hash is stored) and retires earlier open invites of the
 * same email to the same community: one batch. Returns the token, for the email only.
 */
export async function issueInvite(
  d1: D1Database,
  input: { communityId: string; email: string; displayName: string | null; role: CommunityRole; invitedBy: string },
  now = Date.now(),
) {
  const token = randomToken("wbi_");
  const id = crypto.randomUUID();
  const expiresAt = new Date(now + INVITE_TTL_MS);
  const db = createDb(d1);
  await db.batch([
    db
      .update(memberInvites)
      .set({ usedAt: new Date(now) })
      .where(
        and(
          eq(memberInvites.communityId, input.communityId),
          eq(memberInvites.email, input.email),
          isNull(memberInvites.usedAt),
        ),
      ),
    db
      .insert(memberInvites)
      .values({ id, ...input, tokenHash: await sha256Hex(token), createdAt: new Date(now), expiresAt }),
  ]);
  return { id, token, expiresAt };
}

export async function deleteInvite(d1: D1Database, id: string): Promise<void> {
  await createDb(d1).delete(memberInvites).where(eq(memberInvites.id, id));
}

/**
 * Spends an invite token, once (atomically): the invite, or null when the token is malformed,
 * unknown, used or expired. A caller that then fails gives it back with `unclaimInvite`.
 */
export async function claimInvite(d1: D1Database, token: string, now = Date.now()): Promise<InviteRow | null> {
  if (!INVITE_TOKEN_PATTERN.test(token)) return null;
  const row = await createDb(d1)
    .update(memberInvites)
    .set({ usedAt: new Date(now) })
    .where(
      and(
        eq(memberInvites.tokenHash, await sha256Hex(token)),
        isNull(memberInvites.usedAt),
        sql`${memberInvites.expiresAt} > ${now}`,
      ),
    )
    .returning()
    .get();
  return row ?? null;
}

export async function unclaimInvite(d1: D1Database, id: string): Promise<void> {
  await createDb(d1).update(memberInvites).set({ usedAt: null }).where(eq(memberInvites.id, id));
}

/** The membership an accepted invite grants (an existing membership keeps its role). */
export function joinStatement(d1: D1Database, invite: InviteRow, userId: string) {
  return createDb(d1)
    .insert(communityMembers)
    .values({ communityId: invite.communityId, userId, role: invite.role })
    .onConflictDoNothing();
}

export function findUserByEmail(d1: D1Database, email: string) {
  return createDb(d1).select().from(users).where(eq(users.email, email)).get();
}
