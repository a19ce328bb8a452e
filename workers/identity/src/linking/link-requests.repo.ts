import { and, eq, gt, isNull } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { identityLinkRequests, type Platform, userIdentities } from "../../../../lib/db/schema/index.ts";

/** How long a proven link waits for the protected account's owner to approve it. */
const APPROVAL_TTL_MS = 7 * 24 * 3600_000;

/** Records a proven link that waits for approval; an earlier open one for the same pair is retired. */
export async function insertLinkRequest(
  d1: D1Database,
  input: {
    requesterUserId: string;
    requesterPlatform: Platform;
    requesterUsername: string;
    targetUserId: string;
    targetPlatform: Platform;
    targetPlatformUserId: string;
  },
  now = Date.now(),
): Promise<string> {
  const db = createDb(d1);
  const id = crypto.randomUUID();
  await db.batch([
    db
      .update(identityLinkRequests)
      .set({ decidedAt: new Date(now) })
      .where(
        and(
          eq(identityLinkRequests.requesterUserId, input.requesterUserId),
          eq(identityLinkRequests.targetUserId, input.targetUserId),
          isNull(identityLinkRequests.decidedAt),
        ),
      ),
    db
      .insert(identityLinkRequests)
      .values({ id, ...input, createdAt: new Date(now), expiresAt: new Date(now + APPROVAL_TTL_MS) }),
  ]);
  return id;
}

/** The open (undecided, unexpired) requests waiting for this user's approval, with the target's name. */
export function openRequestsFor(d1: D1Database, targetUserId: string, now = Date.now()) {
  return createDb(d1)
    .select({ request: identityLinkRequests, targetUsername: userIdentities.username })
    .from(identityLinkRequests)
    .leftJoin(
      userIdentities,
      and(
        eq(userIdentities.platform, identityLinkRequests.targetPlatform),
        eq(userIdentities.platformUserId, identityLinkRequests.targetPlatformUserId),
      ),
    )
    .where(
      and(
        eq(identityLinkRequests.targetUserId, targetUserId),
        isNull(identityLinkRequests.decidedAt),
        gt(identityLinkRequests.expiresAt, new Date(now)),
      ),
    )
    .orderBy(identityLinkRequests.createdAt);
}

/**
 * Decides an open request of this target user, once (atomically): the row, or undefined when
 * it is not theirs, already decided or expired.
 */
export function decideRequest(d1: D1Database, id: string, targetUserId: string, now = Date.now()) {
  return createDb(d1)
    .update(identityLinkRequests)
    .set({ decidedAt: new Date(now) })
    .where(
      and(
        eq(identityLinkRequests.id, id),
        eq(identityLinkRequests.targetUserId, targetUserId),
        isNull(identityLinkRequests.decidedAt),
        gt(identityLinkRequests.expiresAt, new Date(now)),
      ),
    )
    .returning()
    .get();
}
