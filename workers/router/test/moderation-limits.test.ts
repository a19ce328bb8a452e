import { env } from "cloudflare:workers";
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { moderationRules } from "../../../lib/db/schema/index.ts";
import { createCommunity, createModerationRule, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { MAX_PROGRAM_SIZE } from "../src/moderation/matchers.ts";
import { MAX_RULES_PER_COMMUNITY, MAX_TOTAL_PATTERN_COST } from "../src/moderation/rule-limits.ts";
import { compileRule, loadRouterConfig } from "../src/router-config.ts";
import { api } from "./support/router.ts";

async function setup() {
  const community = await createCommunity();
  const { authorization } = await createUserWithKey({ communityId: community.id, role: "admin" });
  return { community, authorization, base: `/api/v1/communities/${community.id}/moderation/rules` };
}
const regex = (pattern: string, name = "r") => ({ name, matchType: "regex", pattern, action: "delete" });
const ruleCount = async (communityId: string) =>
  (
    await createDb(env.DB)
      .select({ n: count() })
      .from(moderationRules)
      .where(eq(moderationRules.communityId, communityId))
      .get()
  )?.n;

/** Fills a community with `n` cheap rules straight in D1. */
async function fill(communityId: string, n: number) {
  for (let i = 0; i < n; i++)
    await createModerationRule(communityId, {
      name: `r${i}`,
      matchType: "contains",
      pattern: `w${i}`,
      action: "delete",
    });
}

describe("moderation rule cost limits", () => {
  it("refuses counted repetitions that compile to a huge program (\\p{L}{1000}) with 400 and the reason", async () => {
    const { community, authorization, base } = await setup();
    for (const pattern of ["\\p{L}{1000}", "[a-z]{300}", "(\\w{20}){20}", ".{251}"]) {
      const res = await api<{ path: string[]; message: string }[]>("POST", base, authorization, regex(pattern));
      expect(res.status, pattern).toBe(400);
      expect(res.data[0]?.path).toEqual(["pattern"]);
      expect(res.data[0]?.message).toMatch(new RegExp(`too costly.*at most ${MAX_PROGRAM_SIZE}`));
    }
    expect(await ruleCount(community.id)).toBe(0);
    // Ordinary expressions, and a 200-character whole-word rule, still fit.
    expect((await api("POST", base, authorization, regex("\\bfree\\s+v-?bucks\\b"))).status).toBe(201);
    expect((await api("POST", base, authorization, regex("\\p{L}{20}"))).status).toBe(201);
    const word = { name: "w", matchType: "word", pattern: "a".repeat(200), action: "delete" };
    expect((await api("POST", base, authorization, word)).status).toBe(201);
  });

  it("refuses the same pattern on PATCH and keeps the rule as it was", async () => {
    const { authorization, base } = await setup();
    const made = await api<{ id: string }>("POST", base, authorization, regex("spam"));
    const res = await api("PATCH", `${base}/${made.data.id}`, authorization, { pattern: "\\p{L}{1000}" });
    expect(res.status).toBe(400);
    const [stored] = (await api<{ pattern: string }[]>("GET", base, authorization)).data;
    expect(stored?.pattern).toBe("spam");
  });

  it(`refuses the ${MAX_RULES_PER_COMMUNITY + 1}st rule with 409`, async () => {
    const { community, authorization, base } = await setup();
    await fill(community.id, MAX_RULES_PER_COMMUNITY - 1);
    expect((await api("POST", base, authorization, regex("last"))).status).toBe(201);
    const res = await api("POST", base, authorization, regex("one-too-many"));
    expect(res.status).toBe(409);
    expect(res.message).toMatch(`at most ${MAX_RULES_PER_COMMUNITY}`);
    expect(await ruleCount(community.id)).toBe(MAX_RULES_PER_COMMUNITY);
  });

  it("lets parallel saves at the cap add only as many rules as fit", async () => {
    const { community, authorization, base } = await setup();
    await fill(community.id, MAX_RULES_PER_COMMUNITY - 2);
    const statuses = await Promise.all(
      Array.from({ length: 6 }, (_, i) => api("POST", base, authorization, regex(`p${i}`)).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(2);
    expect(statuses.filter((s) => s === 409)).toHaveLength(4);
    expect(await ruleCount(community.id)).toBe(MAX_RULES_PER_COMMUNITY);
  });

  it("bounds the community's total matching work: a rule that would pass the budget is refused", async () => {
    const { community, authorization, base } = await setup();
    // Each is ~243 instructions: the budget holds MAX_TOTAL_PATTERN_COST / 243 of them.
    const heavy = (i: number) => regex(`[a-z]{240}${i}`, `h${i}`);
    const fits = Math.floor(MAX_TOTAL_PATTERN_COST / 243);
    for (let i = 0; i < fits; i++) expect((await api("POST", base, authorization, heavy(i))).status).toBe(201);
    const res = await api<{ message: string }[]>("POST", base, authorization, heavy(fits));
    expect(res.status).toBe(400);
    expect(res.data[0]?.message).toMatch(`at most ${MAX_TOTAL_PATTERN_COST}`);
    expect(await ruleCount(community.id)).toBe(fits);
  });

  it("skips rules past the budget when loading rows saved before it existed (first ones in check order kept)", async () => {
    const community = await createCommunity();
    const n = Math.floor(MAX_TOTAL_PATTERN_COST / 243) + 3;
    for (let i = 0; i < n; i++)
      await createModerationRule(community.id, {
        name: `h${i}`,
        matchType: "regex",
        pattern: `[a-z]{240}${i}`,
        action: "delete",
        priority: i,
      });
    const config = await loadRouterConfig(env, community.id);
    const total = config.moderation.reduce((sum, r) => sum + r.cost, 0);
    expect(total).toBeLessThanOrEqual(MAX_TOTAL_PATTERN_COST);
    const fits = Math.floor(MAX_TOTAL_PATTERN_COST / 243);
    expect(config.moderation.map((r) => r.name)).toEqual(Array.from({ length: fits }, (_, i) => `h${i}`));
    // A stored rule over the per-rule cap does not compile at all.
    const row = await createModerationRule(community.id, {
      name: "old",
      matchType: "regex",
      pattern: "\\p{L}{1000}",
      action: "delete",
    });
    expect(compileRule(row)).toBeNull();
  });
});
