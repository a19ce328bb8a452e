import { z } from "@hono/zod-openapi";
import { BadRequest, Conflict, HttpError, NotFound, TooManyRequests } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { actorOf, auditRequest } from "../audit/record.ts";
import { accountRoute } from "../auth/middleware.ts";
import type { AuthedEnv } from "../env.ts";
import { IdentitySchema, PlatformName } from "../schemas.ts";
import { detachIdentity } from "./detach.ts";
import { requestLinkCode } from "./link.service.ts";
import { identitiesOf, latestPortalCode } from "./linking.repo.ts";
import { redeemCode } from "./redeem.ts";

/** Portal linking: the signed-in user links a chat account by a code sent to it privately. */
export const identitiesRoutes = createApiApp<AuthedEnv>();

const tags = ["identities"];
const StartBody = z
  .object({ platform: PlatformName, username: z.string().trim().min(1).max(100) })
  .openapi("StartIdentityLink");
const VerifyBody = z.object({ code: z.string().trim().min(1).max(32) }).openapi("VerifyIdentityLink");
const IdentityParams = z.object({ platform: PlatformName, platformUserId: z.string().min(1).max(64) });

/** My identities as the API answers them (also after approving a link request). */
export async function listFor(d1: D1Database, userId: string) {
  return (await identitiesOf(d1, userId)).map((i) => ({
    platform: i.platform,
    platformUserId: i.platformUserId,
    username: i.username,
    verifiedAt: i.verifiedAt?.toISOString() ?? null,
  }));
}
const listResponse = {
  description: "My linked identities",
  content: { "application/json": { schema: envelopeOf(z.array(IdentitySchema)) } },
};

identitiesRoutes.openapi(
  accountRoute({
    method: "get",
    path: "/",
    tags,
    summary: "My linked platform identities",
    permission: "identities:read",
    responses: { 200: listResponse, ...errorResponses(401) },
  }),
  async (c) => ok(c, await listFor(c.env.DB, c.get("principal").userId)),
);

identitiesRoutes.openapi(
  accountRoute({
    method: "post",
    path: "/",
    tags,
    summary: "Start linking a chat account: a 6-character code is sent to it by whisper/DM",
    permission: "identities:write",
    request: { body: { content: { "application/json": { schema: StartBody } }, required: true } },
    responses: {
      202: { description: "Code sent", content: { "application/json": { schema: envelopeOf(z.null()) } } },
      ...errorResponses(400, 401, 403, 404, 409, 429),
    },
  }),
  async (c) => {
    const principal = c.get("principal");
    const result = await requestLinkCode(
      c.env,
      { userId: principal.userId, name: principal.displayName, via: "the WaddleBot portal" },
      "portal",
      c.req.valid("json"),
    );
    if (!result.ok) {
      if (result.reason === "rate_limited")
        throw new TooManyRequests((result.retryAfterMs ?? 1000) / 1000, result.message);
      if (result.reason === "not_found") throw new NotFound(result.message);
      if (result.reason === "already_linked") throw new Conflict(result.message);
      throw new HttpError(503, result.message);
    }
    return ok(c, null, result.message, 202);
  },
);

identitiesRoutes.openapi(
  accountRoute({
    method: "post",
    path: "/verify",
    tags,
    summary: "Finish linking with the code the chat account received",
    permission: "identities:write",
    request: { body: { content: { "application/json": { schema: VerifyBody } }, required: true } },
    responses: {
      200: listResponse,
      202: {
        description: "Proven; waits for approval",
        content: { "application/json": { schema: envelopeOf(z.null()) } },
      },
      ...errorResponses(400, 401, 403, 409),
    },
  }),
  async (c) => {
    const principal = c.get("principal");
    const row = await latestPortalCode(c.env.DB, principal.userId);
    const result = await redeemCode(c.env, row, c.req.valid("json").code, {
      actorId: principal.userId,
      requestId: c.get("requestId"),
    });
    if (!result.ok) {
      // A portal account and another account with a login: never merged automatically.
      if (result.reason === "conflict") throw new Conflict(result.message);
      throw new BadRequest(result.message);
    }
    if (result.status === "pending") return ok(c, null, result.message, 202);
    return ok(c, await listFor(c.env.DB, result.outcome.userId), "Linked", 200);
  },
);

identitiesRoutes.openapi(
  accountRoute({
    method: "delete",
    path: "/{platform}/{platformUserId}",
    tags,
    summary: "Unlink one of my identities (it becomes a separate chat-only user again)",
    permission: "identities:write",
    request: { params: IdentityParams },
    responses: { 200: listResponse, ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const principal = c.get("principal");
    const { platform, platformUserId } = c.req.valid("param");
    const identity = (await identitiesOf(c.env.DB, principal.userId)).find(
      (i) => i.platform === platform && i.platformUserId === platformUserId,
    );
    if (!identity) throw new NotFound("No such identity on your account");
    await detachIdentity(c.env.DB, identity);
    await auditRequest(c, {
      ...actorOf(principal),
      action: "identity.unlink",
      targetType: "identity",
      targetId: `${platform}:${platformUserId}`,
      outcome: "success",
    });
    return ok(c, await listFor(c.env.DB, principal.userId), "Unlinked");
  },
);
