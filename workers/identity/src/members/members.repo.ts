import { and, eq } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { type CommunityRole, communityMembers, users } from "../../../../lib/db/schema/index.ts";

export function listMembers(d1: D1Database, communityId: string) {
  return createDb(d1)
    .select({
      userId: communityMembers.userId,
      displayName: users.displayName,
      role: communityMembers.role,
      points: communityMembers.points,
      joinedAt: communityMembers.joinedAt,
    })
    .from(communityMembers)
    .innerJoin(users, eq(users.id, communityMembers.userId))
    .where(eq(communityMembers.communityId, communityId))
    .orderBy(communityMembers.joinedAt);
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
