import { createRoute, z } from "@hono/zod-openapi";
import { credentialsOf } from "../../../../lib/auth/hono.ts";
import { BadRequest, Conflict, Forbidden, Gone } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { MIN_PASSWORD_LENGTH, SETUP_TOKEN_PATTERN } from "../../../../lib/instance/first-run.ts";
import { auditRequest } from "../audit/record.ts";
import { sessionCookies } from "../auth/login.routes.ts";
import type { AuthedEnv } from "../env.ts";
import { Email } from "../schemas.ts";
import { originAllowed } from "../sessions/csrf.ts";
import { createSession } from "../sessions/sessions.repo.ts";
import { claimOwner, ownerExists } from "./setup.repo.ts";

const SetupStatus = z.object({ ownerExists: z.boolean() }).openapi("SetupStatus");
const SetupBody = z
  .object({
    token: z.string().regex(SETUP_TOKEN_PATTERN, "Not a setup token (copy the whole URL printed by npm run deploy)"),
    email: Email,
    password: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
    displayName: z.string().trim().min(1).max(80).default("Owner"),
  })
  .openapi("SetupRequest");

/**
 * The first run's one-time setup URL (lib/instance/first-run.ts): the only HTTP path that creates
 * the instance owner, and only while there is none (409 afterwards; 410 for a spent or expired token).
 */
export const setupRoutes = createApiApp<AuthedEnv>();

setupRoutes.openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["auth"],
    summary: "Whether the instance still needs its owner (the portal's /setup page asks)",
    responses: { 200: { description: "Status", content: { "application/json": { schema: envelopeOf(SetupStatus) } } } },
  }),
  async (c) => ok(c, { ownerExists: await ownerExists(c.env.DB) }),
);

setupRoutes.openapi(
  createRoute({
    method: "post",
    path: "/",
    tags: ["auth"],
    summary: "Create the instance owner with the one-time setup token; signs them in",
    request: { body: { content: { "application/json": { schema: SetupBody } }, required: true } },
    responses: {
      201: {
        description: "Owner created",
        content: { "application/json": { schema: envelopeOf(z.object({ userId: z.string() })) } },
      },
      ...errorResponses(400, 403, 409, 410),
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const { ip, origin } = credentialsOf(c);
    // Like login: a foreign page must not drive a browser through this form.
    if (!originAllowed(c.env, origin)) throw new Forbidden("Cross-origin setup refused");
    if (await ownerExists(c.env.DB)) throw new Conflict("This instance already has its owner: sign in instead");
    const outcome = await claimOwner(c.env.DB, body);
    if (!outcome.ok) {
      await auditRequest(c, {
        actorType: "system",
        action: "instance.setup",
        targetType: "email",
        targetId: body.email,
        outcome: "denied",
        details: { reason: outcome.reason },
      });
      if (outcome.reason === "owner") throw new Conflict("This instance already has its owner: sign in instead");
      if (outcome.reason === "email") throw new Conflict("An account with this email exists");
      if (outcome.reason === "spent")
        throw new Gone("This setup link was used or has expired: run npm run deploy again");
      throw new BadRequest("Unknown setup token");
    }
    await auditRequest(c, {
      actorType: "user",
      actorId: outcome.userId,
      action: "instance.setup",
      targetType: "user",
      targetId: outcome.userId,
      outcome: "success",
      details: { via: "setup-url" },
    });
    const session = await createSession(c.env, outcome.userId, ip);
    for (const cookie of await sessionCookies(session.token)) c.header("set-cookie", cookie, { append: true });
    return ok(c, { userId: outcome.userId }, "Instance owner created", 201);
  },
);
