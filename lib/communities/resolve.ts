import { and, eq } from "drizzle-orm";
import { TtlCache } from "../cache.ts";
import { createDb } from "../db/client.ts";
import { communities, communityPlatforms, type Platform } from "../db/schema/index.ts";

export interface ResolvedCommunity {
  id: string;
  slug: string;
  name: string;
  settings: Record<string, unknown>;
}

// null is cached too: an unknown guild asking again and again must not cost a query each time.
const cache = new TtlCache<ResolvedCommunity | null>(30_000, 5_000);

/** The active community linked to a platform space (guild, broadcaster, team), cached. */
export function resolveCommunity(
  d1: D1Database | D1DatabaseSession,
  platform: Platform,
  platformId: string,
): Promise<ResolvedCommunity | null> {
  return cache.getOrLoad(`${platform}:${platformId}`, async () => {
    const row = await createDb(d1)
      .select({ id: communities.id, slug: communities.slug, name: communities.name, settings: communities.settings })
      .from(communityPlatforms)
      .innerJoin(communities, eq(communities.id, communityPlatforms.communityId))
      .where(
        and(
          eq(communityPlatforms.platform, platform),
          eq(communityPlatforms.platformId, platformId),
          eq(communityPlatforms.status, "active"),
          eq(communities.isActive, true),
        ),
      )
      .get();
    return row ?? null;
  });
}

/** Call after changing a community's links or settings. */
export function invalidateCommunityCache(): void {
  cache.clear();
}
