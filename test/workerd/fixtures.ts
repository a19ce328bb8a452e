/**
 * Rows for tests, written straight to the real D1 of the test file. Every call makes fresh
 * ids, so tests never depend on each other.
 */
import { env } from "cloudflare:workers";
import { displayPrefix, generateApiKey, hashApiKey } from "../../lib/auth/api-keys.ts";
import { createDb } from "../../lib/db/client.ts";
import {
  apiKeys,
  type CommunityRole,
  communities,
  communityMembers,
  communityPlatforms,
  type GlobalRole,
  moderationRules,
  type Platform,
  type ServiceRole,
  serviceAccounts,
  users,
} from "../../lib/db/schema/index.ts";

const db = () => createDb(env.DB);
const short = () => crypto.randomUUID().slice(0, 8);

/** A community linked to fresh platform ids (or the ones given). */
export async function createCommunity(links: Partial<Record<Platform, string>> = {}) {
  const id = crypto.randomUUID();
  const platformIds = {
    discord: links.discord ?? `${Date.now()}${Math.floor(Math.random() * 1e6)}`,
    twitch: links.twitch ?? `${Math.floor(Math.random() * 1e9)}`,
    slack: links.slack ?? `T${short().toUpperCase()}`,
  };
  await db()
    .insert(communities)
    .values({ id, slug: `c-${short()}`, name: `Community ${short()}` });
  await db()
    .insert(communityPlatforms)
    .values(
      (Object.keys(platformIds) as Platform[]).map((platform) => ({
        communityId: id,
        platform,
        platformId: platformIds[platform],
      })),
    );
  return { id, platformIds };
}

/** A user (optionally a member of a community with a role) and an API key acting as them. */
export async function createUserWithKey(opts: {
  communityId?: string;
  role?: CommunityRole;
  globalRole?: GlobalRole;
  scopes?: string[] | null;
  /** Makes the user a service account with this role (a machine caller). */
  serviceRole?: ServiceRole;
}) {
  const userId = crypto.randomUUID();
  await db()
    .insert(users)
    .values({
      id: userId,
      email: `u-${short()}@waddlebot.test`,
      displayName: `User ${short()}`,
      globalRole: opts.globalRole ?? "user",
    });
  if (opts.serviceRole) await db().insert(serviceAccounts).values({ userId, role: opts.serviceRole });
  if (opts.communityId && opts.role) {
    await db().insert(communityMembers).values({ communityId: opts.communityId, userId, role: opts.role });
  }
  const key = generateApiKey();
  await db()
    .insert(apiKeys)
    .values({
      userId,
      name: "test key",
      prefix: displayPrefix(key),
      keyHash: await hashApiKey(key),
      scopes: opts.scopes ?? null,
    });
  return { userId, apiKey: key, authorization: `Bearer ${key}` };
}

/**
 * A moderation rule, written straight to its table (the router's admin API validates the
 * same columns with workers/router/src/moderation/rules.schema.ts; keep test rules valid there).
 */
export async function createModerationRule(
  communityId: string,
  rule: Omit<typeof moderationRules.$inferInsert, "communityId" | "id">,
) {
  return db()
    .insert(moderationRules)
    .values({ communityId, ...rule })
    .returning()
    .get();
}
