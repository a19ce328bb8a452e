import { z } from "@hono/zod-openapi";
import { scopeAllows } from "../../../../lib/auth/permissions.ts";
import { Forbidden } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { authorize } from "../auth/authorize.ts";
import { accountRoute } from "../auth/middleware.ts";
import type { AuthedEnv } from "../env.ts";
import { queryAudit, withNames } from "./audit.repo.ts";

const AuditEntry = z
  .object({
    id: z.string(),
    occurredAt: z.string(),
    requestId: z.string().nullable(),
    actorType: z.string(),
    actorId: z.string().nullable(),
    communityId: z.string().nullable(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    outcome: z.enum(["success", "denied", "failure"]),
    details: z.record(z.string(), z.unknown()).nullable(),
    ip: z.string().nullable(),
    actorName: z.string().nullable().openapi({ description: "Who, by name (their name now, else as recorded)" }),
    targetName: z.string().nullable().openapi({ description: "What, by name (a command as `!so`, a member's name)" }),
  })
  .openapi("AuditEntry");

const AuditQuery = z.object({
  communityId: z
    .uuid()
    .optional()
    .openapi({ description: "Required unless you are a global admin (community admins see their community)" }),
  actorId: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  outcome: z.enum(["success", "denied", "failure"]).optional(),
  since: z.coerce.date().optional(),
  until: z.coerce.date().optional(),
  before: z.coerce.date().optional().openapi({ description: "Paging: entries older than this timestamp" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const auditRoutes = createApiApp<AuthedEnv>();

auditRoutes.openapi(
  accountRoute({
    method: "get",
    path: "/",
    tags: ["audit"],
    summary: "The audit trail, newest first (read-only: no API edits or deletes an entry)",
    permission: "audit:read",
    request: { query: AuditQuery },
    responses: {
      200: { description: "Entries", content: { "application/json": { schema: envelopeOf(z.array(AuditEntry)) } } },
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) => {
    const principal = c.get("principal");
    const filter = c.req.valid("query");
    if (filter.communityId) {
      const allowed = await authorize(c.env, principal, filter.communityId, "audit:read", c.get("requestId"));
      if (!allowed) throw new Forbidden();
    } else if (filter.actorId === principal.userId) {
      // Your own account events (sign-ins, keys, links): many are recorded with no community.
    } else if (principal.globalRole !== "admin" || !scopeAllows(principal.scopes, "audit:read")) {
      throw new Forbidden("Only global admins read the whole trail; pass communityId, or actorId = your own id");
    }
    return ok(c, await withNames(c.env.DB, await queryAudit(c.env.DB, filter)));
  },
);
