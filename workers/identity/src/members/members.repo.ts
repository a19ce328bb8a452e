import { and, eq, inArray } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { type CommunityRole, communityMembers, userIdentities, users } from "../../../../lib/db/schema/index.ts";

/** Members with their reputation and linked platform accounts (two queries, not one per member). */
export async function listMembers(d1: D1Database, communityId: string) {
  const db = createDb(d1);
  const rows = await db
    .select({
      userId: communityMembers.userId,
      displayName: users.displayName,
      email: users.email,
      role: communityMembers.role,
      points: communityMembers.points,
      reputation: users.reputationScore,
      joinedAt: communityMembers.joinedAt,
    })
    .from(communityMembers)
    .innerJoin(users, eq(users.id, communityMembers.userId))
    .where(eq(communityMembers.communityId, communityId))
    .orderBy(communityMembers.joinedAt);
  const ids = rows.map((r) => r.userId);
  // D1 caps bound parameters at 100 per statement: look identities up in slices.
  const links: { userId: string; platform: string; platformUserId: string; username: string }[] = [];
  for (let i = 0; i < ids.length; i += 90) {
    links.push(
      ...(await db
        .select({
          userId: userIdentities.userId,
          platform: userIdentities.platform,
          platformUserId: userIdentities.platformUserId,
          username: userIdentities.username,
        })
        .from(userIdentities)
        .where(inArray(userIdentities.userId, ids.slice(i, i + 90)))),
    );
  }
  return rows.map((r) => ({
    ...r,
    identities: links
      .filter((l) => l.userId === r.userId)
      .map(({ platform, platformUserId, username }) => ({ platform, platformUserId, username })),
  }));
}

export function findMember(d1: D1Database, communityId: string, userId: string) {
  return createDb(d1)
    .select()
    .from(communityMembers)
    .where(and(eq(communityMembers.communityId, communityId), eq(communityMembers.userId, userId)))
    .get();
}

export async function setRole(d1: D1Database, communityId: string, userId: string, role: CommunityRole) {
  await createDb(d1)
    .update(communityMembers)
    .set({ role })
    .where(and(eq(communityMembers.communityId, communityId), eq(communityMembers.userId, userId)));
}
