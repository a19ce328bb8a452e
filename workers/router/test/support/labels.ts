/** Helpers for the labels tests: a community with an admin key, members, labels straight in D1. */
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { communityMembers, entityLabels, labels, users } from "../../../../lib/db/schema/index.ts";
import { createCommunity, createUserWithKey } from "../../../../test/workerd/fixtures.ts";
import { api } from "./router.ts";

export async function labelsSetup() {
  const community = await createCommunity();
  const { authorization } = await createUserWithKey({ communityId: community.id, role: "admin" });
  const base = `/api/v1/communities/${community.id}`;
  return {
    community,
    authorization,
    base,
    call: <T = unknown>(method: string, path: string, body?: unknown) =>
      api<T>(method, `${base}${path}`, authorization, body),
  };
}

/** A plain member of the community (no key), named for search ordering. */
export async function addMember(communityId: string, displayName = `Member ${crypto.randomUUID().slice(0, 6)}`) {
  const userId = crypto.randomUUID();
  await createDb(env.DB).insert(users).values({ id: userId, displayName });
  await createDb(env.DB).insert(communityMembers).values({ communityId, userId, role: "member" });
  return userId;
}

/** Every (label name, entity) pair stored for a community, sorted: "the store" in assertions. */
export async function storedLabels(communityId: string) {
  const rows = await createDb(env.DB)
    .select({ name: labels.normalizedName, type: entityLabels.entityType, id: entityLabels.entityId })
    .from(entityLabels)
    .innerJoin(labels, eq(labels.id, entityLabels.labelId))
    .where(eq(entityLabels.communityId, communityId));
  return rows.map((r) => `${r.type}:${r.id}:${r.name}`).sort();
}

export async function labelCount(communityId: string) {
  return (await createDb(env.DB).select().from(labels).where(eq(labels.communityId, communityId))).length;
}

export async function userLabels(communityId: string, userId: string) {
  const rows = await createDb(env.DB)
    .select({ name: labels.normalizedName })
    .from(entityLabels)
    .innerJoin(labels, eq(labels.id, entityLabels.labelId))
    .where(and(eq(entityLabels.communityId, communityId), eq(entityLabels.entityId, userId)));
  return rows.map((r) => r.name).sort();
}

/** `n` members at once (one JSON parameter per statement: D1 binds at most 100). */
export async function addMembers(communityId: string, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => crypto.randomUUID());
  const now = Date.now();
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO users (id, display_name, reputation_score, global_role, created_at, updated_at)
       SELECT value, 'Bulk ' || value, 0, 'user', ?1, ?1 FROM json_each(?2)`,
    ).bind(now, JSON.stringify(ids)),
    env.DB.prepare(
      `INSERT INTO community_members (community_id, user_id, role, points, joined_at)
       SELECT ?1, value, 'member', 0, ?2 FROM json_each(?3)`,
    ).bind(communityId, now, JSON.stringify(ids)),
  ]);
  return ids;
}
