import { z } from "@hono/zod-openapi";
import { PERMISSION_LEVELS } from "../../../../lib/chat/permission-level.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { MATCH_TYPES, MODERATION_ACTIONS } from "../../../../lib/db/schema/index.ts";
import { BadRequest, NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { patchOf } from "../../../../lib/http/patch.ts";
import { outboundPolicy } from "../../../../lib/outbound/url-guard.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import { auditChange } from "../audit-change.ts";
import { invalidateRouterConfig } from "../router-config.ts";
import * as repo from "./moderation.repo.ts";
import { checkRuleSave, insertRuleCapped } from "./rule-limits.ts";
import { RuleFields, RuleInput } from "./rules.schema.ts";

const RuleSchema = z
  .object({
    id: z.string(),
    communityId: z.string(),
    name: z.string(),
    matchType: z.enum(MATCH_TYPES),
    pattern: z.string().nullable(),
    options: z.record(z.string(), z.unknown()),
    action: z.enum(MODERATION_ACTIONS),
    actionConfig: z.record(z.string(), z.unknown()),
    escalation: z.array(z.record(z.string(), z.unknown())),
    exemptLevel: z.enum(PERMISSION_LEVELS),
    enabled: z.boolean(),
    priority: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("ModerationRule");
const RulePatch = patchOf(RuleFields).openapi("RulePatch");
const RuleParams = z.object({ communityId: z.uuid(), ruleId: z.uuid() });

/** The webhook secret is write-only: answers say whether one is set, never what it is. */
const toApi = (r: repo.RuleRow) => {
  const { secret, ...actionConfig } = r.actionConfig as Record<string, unknown>;
  return {
    ...r,
    actionConfig: secret ? { ...actionConfig, secret: "[set]" } : actionConfig,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
};

/**
 * The secret is write-only, so an edit cannot send it back: an actionConfig without one keeps
 * the stored secret while the webhook URL stays the same (a new URL needs the secret again).
 */
function keepWebhookSecret(existing: repo.RuleRow, patch: z.infer<typeof RulePatch>) {
  const stored = existing.actionConfig as Record<string, unknown>;
  const next = patch.actionConfig;
  if (!next || next.secret !== undefined || !stored.secret || next.url !== stored.url) return { ...existing, ...patch };
  return { ...existing, ...patch, actionConfig: { ...next, secret: stored.secret } };
}

const ruleChange = (
  action: string,
  row: { id: string; name: string },
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
) => ({ action, targetType: "moderation_rule", targetId: row.id, name: row.name, before, after });

/** Admin API: moderation rules (string matching and filters), checked before any command. */
export const moderationRoutes = createApiApp<RouteEnv>();

moderationRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/moderation/rules",
    tags: ["moderation"],
    summary: "The community's moderation rules, in the order they are checked",
    permission: "moderation:read",
    request: { params: CommunityParams },
    responses: {
      200: { description: "Rules", ...jsonContent(envelopeOf(z.array(RuleSchema))) },
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    return ok(c, (await repo.listRules(createDb(c.env.DB), communityId)).map(toApi));
  },
);

moderationRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/moderation/rules",
    tags: ["moderation"],
    summary: "Create a rule (regexes must compile on RE2: no backreferences or lookaround; ≤ 200 characters)",
    permission: "moderation:write",
    request: { params: CommunityParams, body: { required: true, ...jsonContent(RuleInput) } },
    responses: {
      201: { description: "Created", ...jsonContent(envelopeOf(RuleSchema)) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const rule = c.req.valid("json");
    await checkRuleSave(outboundPolicy(c.env), db, communityId, rule);
    const row = await insertRuleCapped(db, communityId, rule);
    invalidateRouterConfig(communityId);
    await auditChange(c, communityId, ruleChange("rule.create", row, null, row));
    return ok(c, toApi(row), "Rule created", 201);
  },
);

moderationRoutes.openapi(
  communityRoute({
    method: "patch",
    path: "/{communityId}/moderation/rules/{ruleId}",
    tags: ["moderation"],
    summary: "Change a rule (the result is validated as a whole)",
    permission: "moderation:write",
    request: { params: RuleParams, body: { required: true, ...jsonContent(RulePatch) } },
    responses: {
      200: { description: "Updated", ...jsonContent(envelopeOf(RuleSchema)) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId, ruleId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const existing = await repo.getRule(db, communityId, ruleId);
    if (!existing) throw new NotFound("No such rule");
    // The validated body: unknown fields are gone, and fields left out keep their stored value.
    const merged = RuleInput.safeParse(keepWebhookSecret(existing, c.req.valid("json")));
    if (!merged.success) throw new BadRequest("Invalid input", merged.error.issues);
    await checkRuleSave(outboundPolicy(c.env), db, communityId, merged.data, ruleId);
    const row = await repo.replaceRule(db, communityId, ruleId, merged.data);
    invalidateRouterConfig(communityId);
    await auditChange(c, communityId, ruleChange("rule.update", row!, existing, row!));
    return ok(c, toApi(row!), "Rule updated");
  },
);

moderationRoutes.openapi(
  communityRoute({
    method: "delete",
    path: "/{communityId}/moderation/rules/{ruleId}",
    tags: ["moderation"],
    summary: "Delete a rule",
    permission: "moderation:write",
    request: { params: RuleParams },
    responses: {
      200: { description: "Deleted", ...jsonContent(envelopeOf(z.object({ id: z.string() }))) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId, ruleId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const existing = await repo.getRule(db, communityId, ruleId);
    const gone = existing && (await repo.deleteRule(db, communityId, ruleId));
    if (!gone) throw new NotFound("No such rule");
    invalidateRouterConfig(communityId);
    await auditChange(c, communityId, ruleChange("rule.delete", existing, existing, null));
    return ok(c, gone, "Rule deleted");
  },
);
