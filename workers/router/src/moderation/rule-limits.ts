import { and, count, eq } from "drizzle-orm";
import type { Database } from "../../../../lib/db/client.ts";
import { moderationRules } from "../../../../lib/db/schema/index.ts";
import { BadRequest, Conflict } from "../../../../lib/http/errors.ts";
import { type OutboundPolicy, outboundUrlIssues } from "../../../../lib/outbound/url-guard.ts";
import { compilePattern } from "./matchers.ts";
import * as repo from "./moderation.repo.ts";
import type { RuleInputValue } from "./rules.schema.ts";

/**
 * What a community's rules may cost. Every chat line runs through all of them before any
 * command, so the bound is on the sum: at most 100 rules, and a total RE2 program size of
 * 4000 (a 20-character word rule is ~28, the per-rule cap is MAX_PROGRAM_SIZE). With
 * messages capped at 4000 characters (ChatEvent) that bounds the matching work per message.
 */
export const MAX_RULES_PER_COMMUNITY = 100;
export const MAX_TOTAL_PATTERN_COST = 4000;

type Costed = Pick<RuleInputValue, "matchType" | "pattern"> & { options: { caseSensitive?: boolean } };

/** A rule's matching cost per message: its RE2 program size, 1 for plain string tests and filters. */
function ruleCost(r: Costed): number {
  if (!r.pattern || !["exact", "contains", "word", "wildcard", "regex"].includes(r.matchType)) return 1;
  try {
    return compilePattern(r.matchType, r.pattern, r.options.caseSensitive ?? false).cost;
  } catch {
    return 0; // does not compile: never runs (the loader skips it)
  }
}

/**
 * Save-time checks that need more than the body: the webhook URL against the SSRF guard
 * (with this worker's policy) and the community's total pattern budget. 400 with the reason.
 */
export async function checkRuleSave(
  policy: OutboundPolicy,
  db: Database,
  communityId: string,
  rule: RuleInputValue,
  replacingId?: string,
): Promise<void> {
  const issues = outboundUrlIssues(policy, [[["actionConfig", "url"], rule.actionConfig.url]]);
  const others = (await repo.listRules(db, communityId)).filter((r) => r.id !== replacingId);
  const total = others.reduce((sum, r) => sum + ruleCost(r), ruleCost(rule));
  if (total > MAX_TOTAL_PATTERN_COST) {
    issues.push({
      code: "custom",
      path: ["pattern"],
      message: `the community's rules together would cost ${total} per message (at most ${MAX_TOTAL_PATTERN_COST}): simplify or remove a rule`,
    });
  }
  if (issues.length) throw new BadRequest("Invalid input", issues);
}

/**
 * Inserts a rule unless the community already has MAX_RULES_PER_COMMUNITY (409). The insert
 * and the count run in one D1 batch (a transaction), so two parallel saves cannot both slip
 * under the cap: the one that counts past it takes its own row back out.
 */
export async function insertRuleCapped(db: Database, communityId: string, rule: RuleInputValue) {
  const [inserted, [counted]] = await db.batch([
    db
      .insert(moderationRules)
      .values({ communityId, ...rule, pattern: rule.pattern ?? null })
      .returning(),
    db.select({ n: count() }).from(moderationRules).where(eq(moderationRules.communityId, communityId)),
  ]);
  const row = inserted[0]!;
  if ((counted?.n ?? 0) > MAX_RULES_PER_COMMUNITY) {
    await db
      .delete(moderationRules)
      .where(and(eq(moderationRules.communityId, communityId), eq(moderationRules.id, row.id)));
    throw new Conflict(`A community can have at most ${MAX_RULES_PER_COMMUNITY} moderation rules`);
  }
  return row;
}

/** Keeps the rules, in the order checked, that fit the total budget (older rows may predate it). */
export function withinBudget<T extends { cost: number }>(rules: T[]): { kept: T[]; skipped: T[] } {
  let total = 0;
  const kept: T[] = [];
  const skipped: T[] = [];
  for (const r of rules) {
    if (total + r.cost > MAX_TOTAL_PATTERN_COST) skipped.push(r);
    else {
      total += r.cost;
      kept.push(r);
    }
  }
  return { kept, skipped };
}
