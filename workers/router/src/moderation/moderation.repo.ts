import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "../../../../lib/db/client.ts";
import { moderationRules, moderationStrikes, type Platform } from "../../../../lib/db/schema/index.ts";
import type { RuleInputValue } from "./rules.schema.ts";

/** Queries for moderation rules and strikes. */
export type RuleRow = typeof moderationRules.$inferSelect;

/** Strikes older than this are forgotten: escalation is about a streak, not a lifetime. */
const STRIKE_MEMORY_MS = 24 * 3_600_000;

/** The enabled rules of a community in the order they are checked (not yet awaited: batched by the loader). */
export const activeRulesQuery = (db: Database, communityId: string) =>
  db
    .select()
    .from(moderationRules)
    .where(and(eq(moderationRules.communityId, communityId), eq(moderationRules.enabled, true)))
    .orderBy(asc(moderationRules.priority), asc(moderationRules.createdAt));

export const listRules = (db: Database, communityId: string) =>
  db
    .select()
    .from(moderationRules)
    .where(eq(moderationRules.communityId, communityId))
    .orderBy(asc(moderationRules.priority), asc(moderationRules.createdAt));

export const getRule = (db: Database, communityId: string, id: string) =>
  db
    .select()
    .from(moderationRules)
    .where(and(eq(moderationRules.communityId, communityId), eq(moderationRules.id, id)))
    .get();

export const replaceRule = (db: Database, communityId: string, id: string, rule: RuleInputValue) =>
  db
    .update(moderationRules)
    .set({ ...rule, pattern: rule.pattern ?? null })
    .where(and(eq(moderationRules.communityId, communityId), eq(moderationRules.id, id)))
    .returning()
    .get();

export const deleteRule = (db: Database, communityId: string, id: string) =>
  db
    .delete(moderationRules)
    .where(and(eq(moderationRules.communityId, communityId), eq(moderationRules.id, id)))
    .returning({ id: moderationRules.id })
    .get();

/** Adds a strike (a stale streak starts again at 1); returns the user's strikes now. */
export async function addStrike(
  db: Database,
  communityId: string,
  platform: Platform,
  platformUserId: string,
  now = Date.now(),
): Promise<number> {
  const row = await db
    .insert(moderationStrikes)
    .values({ communityId, platform, platformUserId, strikes: 1, lastAt: new Date(now) })
    .onConflictDoUpdate({
      target: [moderationStrikes.communityId, moderationStrikes.platform, moderationStrikes.platformUserId],
      set: {
        strikes: sql`CASE WHEN ${moderationStrikes.lastAt} < ${now - STRIKE_MEMORY_MS} THEN 1 ELSE ${moderationStrikes.strikes} + 1 END`,
        lastAt: new Date(now),
      },
    })
    .returning({ strikes: moderationStrikes.strikes })
    .get();
  return row?.strikes ?? 1;
}
