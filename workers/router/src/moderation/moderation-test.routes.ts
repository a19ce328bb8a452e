import { z } from "@hono/zod-openapi";
import { levelAtLeast, PERMISSION_LEVELS } from "../../../../lib/chat/permission-level.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import { compileRule } from "../router-config.ts";
import { activeRulesQuery } from "./moderation.repo.ts";

const TestInput = z
  .object({
    text: z.string().min(1).max(2_000).openapi({ example: "BUY CHEAP FOLLOWERS at spam.example" }),
    level: z.enum(PERMISSION_LEVELS).default("everyone").openapi({ description: "The sender's chat level" }),
  })
  .openapi("ModerationTestInput");

const TestResult = z
  .object({
    matched: z.boolean(),
    rule: z.object({ id: z.string(), name: z.string(), matchType: z.string(), action: z.string() }).nullable(),
    skipped: z
      .array(z.object({ id: z.string(), name: z.string(), reason: z.string() }))
      .openapi({ description: "Rules not checked: exempt level reached, or repeat filters (they need history)" }),
  })
  .openapi("ModerationTestResult");

/**
 * Admin API: which rule (if any) a sample message would trip, with the same compiled
 * matchers and priority order as live chat — but no strike, no action, no audit entry.
 */
export const moderationTestRoutes = createApiApp<RouteEnv>();

moderationTestRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/moderation/test",
    tags: ["moderation"],
    summary: "Test a sample message against the enabled rules; nothing is recorded",
    permission: "moderation:read",
    request: {
      params: CommunityParams,
      body: { required: true, content: { "application/json": { schema: TestInput } } },
    },
    responses: {
      200: {
        description: "The first matching rule",
        content: { "application/json": { schema: envelopeOf(TestResult) } },
      },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const { text, level } = c.req.valid("json");
    const db = createDb(c.env.DB);
    const skipped: { id: string; name: string; reason: string }[] = [];
    for (const row of await activeRulesQuery(db, communityId)) {
      const rule = compileRule(row);
      if (!rule) continue;
      const skip = (reason: string) => skipped.push({ id: rule.id, name: rule.name, reason });
      if (levelAtLeast(level, rule.exemptLevel)) skip(`${level} is exempt (${rule.exemptLevel} and above)`);
      else if (!rule.match) skip("repeat filters need message history");
      else if (rule.match(text)) {
        const found = { id: rule.id, name: rule.name, matchType: rule.matchType, action: rule.action };
        return ok(c, { matched: true, rule: found, skipped });
      }
    }
    return ok(c, { matched: false, rule: null, skipped });
  },
);
