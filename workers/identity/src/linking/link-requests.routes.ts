import { z } from "@hono/zod-openapi";
import { Conflict, NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { actorOf, auditRequest } from "../audit/record.ts";
import { accountRoute } from "../auth/middleware.ts";
import type { AuthedEnv } from "../env.ts";
import { IdentitySchema, PlatformName } from "../schemas.ts";
import { listFor } from "./identities.routes.ts";
import { hasLoginToProtect } from "./link-policy.ts";
import { decideRequest, openRequestsFor } from "./link-requests.repo.ts";
import { findIdentity } from "./linking.repo.ts";
import { mergeUsers } from "./merge.ts";

/**
 * Links waiting for my approval: a chat identity typed the code sent to one of my identities,
 * but my account has a portal login, so nothing happened until I say so here, signed in.
 * Approving merges the requester's (chat-only) account INTO mine: I keep my email, password,
 * keys and communities, and gain their identities and points. Mounted at
 * /api/v1/me/identities/requests.
 */
export const linkRequestsRoutes = createApiApp<AuthedEnv>();

const tags = ["identities"];
const LinkRequest = z
  .object({
    id: z.string(),
    requester: z.object({ platform: PlatformName, username: z.string() }),
    target: z.object({ platform: PlatformName, platformUserId: z.string(), username: z.string() }),
    createdAt: z.string(),
    expiresAt: z.string(),
  })
  .openapi("IdentityLinkRequest");
const Params = z.object({ requestId: z.uuid() });

linkRequestsRoutes.openapi(
  accountRoute({
    method: "get",
    path: "/",
    tags,
    summary: "Link requests waiting for my approval",
    permission: "identities:read",
    sessionOnly: true,
    responses: {
      200: {
        description: "Open requests",
        content: { "application/json": { schema: envelopeOf(z.array(LinkRequest)) } },
      },
      ...errorResponses(401, 403),
    },
  }),
  async (c) => {
    const rows = await openRequestsFor(c.env.DB, c.get("principal").userId);
    return ok(
      c,
      rows.map(({ request: r, targetUsername }) => ({
        id: r.id,
        requester: { platform: r.requesterPlatform, username: r.requesterUsername },
        target: {
          platform: r.targetPlatform,
          platformUserId: r.targetPlatformUserId,
          username: targetUsername ?? r.targetPlatformUserId,
        },
        createdAt: r.createdAt.toISOString(),
        expiresAt: r.expiresAt.toISOString(),
      })),
    );
  },
);

linkRequestsRoutes.openapi(
  accountRoute({
    method: "post",
    path: "/{requestId}/approve",
    tags,
    summary: "Approve: the requester's chat account joins mine (mine survives)",
    permission: "identities:write",
    sessionOnly: true,
    request: { params: Params },
    responses: {
      200: {
        description: "My identities now",
        content: { "application/json": { schema: envelopeOf(z.array(IdentitySchema)) } },
      },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const principal = c.get("principal");
    const row = await decideRequest(c.env.DB, c.req.valid("param").requestId, principal.userId);
    if (!row) throw new NotFound("No such open link request for your account");
    const identity = await findIdentity(c.env.DB, row.targetPlatform, row.targetPlatformUserId);
    if (identity?.userId !== principal.userId) throw new Conflict("That identity is no longer on your account");
    // The requester may have gained a login since: two such accounts are never merged.
    if (await hasLoginToProtect(c.env.DB, row.requesterUserId)) {
      throw new Conflict("The requesting account now has a portal login; the accounts cannot be merged");
    }
    const outcome = await mergeUsers(c.env.DB, principal.userId, row.requesterUserId, identity);
    await auditRequest(c, {
      ...actorOf(principal),
      action: "identity.link",
      targetType: "identity",
      targetId: `${row.targetPlatform}:${row.targetPlatformUserId}`,
      outcome: "success",
      details: { approvedRequest: row.id, userId: outcome.userId, mergedUserId: outcome.mergedUserId },
    });
    return ok(c, await listFor(c.env.DB, principal.userId), "Linked");
  },
);

linkRequestsRoutes.openapi(
  accountRoute({
    method: "post",
    path: "/{requestId}/reject",
    tags,
    summary: "Reject a link request (nothing changes; the requester must ask again)",
    permission: "identities:write",
    sessionOnly: true,
    request: { params: Params },
    responses: {
      200: { description: "Rejected", content: { "application/json": { schema: envelopeOf(z.null()) } } },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const principal = c.get("principal");
    const row = await decideRequest(c.env.DB, c.req.valid("param").requestId, principal.userId);
    if (!row) throw new NotFound("No such open link request for your account");
    await auditRequest(c, {
      ...actorOf(principal),
      action: "identity.link_rejected",
      targetType: "identity",
      targetId: `${row.targetPlatform}:${row.targetPlatformUserId}`,
      outcome: "success",
      details: { request: row.id, requesterUserId: row.requesterUserId },
    });
    return ok(c, null, "Rejected");
  },
);
