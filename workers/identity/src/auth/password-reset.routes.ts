import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { LimitRule } from "../../../../durable-objects/rate-limiter.ts";
import { hashPassword } from "../../../../lib/crypto/password.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { users } from "../../../../lib/db/schema/index.ts";
import { BadRequest, TooManyRequests } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { log } from "../../../../lib/log.ts";
import { auditRequest } from "../audit/record.ts";
import { emailUnavailableResponse, requireEmailSender } from "../email.ts";
import { type AppEnv, publicUrl } from "../env.ts";
import { Email } from "../schemas.ts";
import { clearAccountFailures } from "./login-limits.ts";
import { issueResetToken, redeemResetToken } from "./password-reset.repo.ts";

/** Reset emails per address: enough for a person, useless for flooding an inbox. */
const RESET_RULE: LimitRule = { bucket: "password-reset", limit: 3, windowMs: 60 * 60_000 };

const RequestBody = z.object({ email: Email }).openapi("PasswordResetRequest");
const ConfirmBody = z
  .object({
    token: z.string().max(200),
    password: z.string().min(12, "Use at least 12 characters").max(1024),
  })
  .openapi("PasswordResetConfirm");

export const passwordResetRoutes = createApiApp<AppEnv>();
const tags = ["auth"];

passwordResetRoutes.openapi(
  createRoute({
    method: "post",
    path: "/request",
    tags,
    summary: "Email a password-reset link (the answer is the same whether or not the account exists)",
    request: { body: { content: { "application/json": { schema: RequestBody } }, required: true } },
    responses: {
      202: { description: "Accepted", content: { "application/json": { schema: envelopeOf(z.null()) } } },
      ...errorResponses(400, 429),
      ...emailUnavailableResponse,
    },
  }),
  async (c) => {
    const { email } = c.req.valid("json");
    // First, and the same for every address: a deployment without email says so (503), and
    // the answer still does not tell whether the account exists.
    const sender = requireEmailSender(c.env);
    const limiter = c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(`reset:${email}`));
    const decision = await limiter.hit([RESET_RULE]);
    if (!decision.allowed) throw new TooManyRequests(decision.retryAfterMs / 1000);
    const user = await createDb(c.env.DB).select().from(users).where(eq(users.email, email)).get();
    if (user && !user.disabledAt) {
      const token = await issueResetToken(c.env.DB, user.id);
      const link = `${publicUrl(c.env)}/reset-password?token=${token}`;
      // A failed send still answers 202: a 5xx only for existing accounts would tell them apart.
      const sent = await sender
        .send({
          to: email,
          subject: "Reset your WaddleBot password",
          text: `Someone asked to reset the password of your WaddleBot account. Open ${link} within 30 minutes to choose a new one. If it was not you, ignore this email.`,
        })
        .then(
          () => true,
          (err: unknown) => {
            log.warn("password reset email failed", { error: err instanceof Error ? err.name : "unknown" });
            return false;
          },
        );
      await auditRequest(c, {
        actorType: "user",
        actorId: user.id,
        action: "auth.password_reset.request",
        outcome: sent ? "success" : "failure",
      });
    }
    return ok(c, null, "If that account exists, a reset link is on its way", 202);
  },
);

passwordResetRoutes.openapi(
  createRoute({
    method: "post",
    path: "/confirm",
    tags,
    summary: "Set a new password with the emailed token; signs out every session",
    request: { body: { content: { "application/json": { schema: ConfirmBody } }, required: true } },
    responses: {
      200: { description: "Password changed", content: { "application/json": { schema: envelopeOf(z.null()) } } },
      ...errorResponses(400),
    },
  }),
  async (c) => {
    const { token, password } = c.req.valid("json");
    const userId = await redeemResetToken(c.env.DB, token, await hashPassword(password));
    if (!userId) throw new BadRequest("This reset link is invalid, used or expired; ask for a new one");
    // The emailed link proves the owner: a login lockout a stranger caused must not keep them out.
    const user = await createDb(c.env.DB).select({ email: users.email }).from(users).where(eq(users.id, userId)).get();
    if (user?.email) await clearAccountFailures(c.env, user.email);
    await auditRequest(c, {
      actorType: "user",
      actorId: userId,
      action: "auth.password_reset.confirm",
      outcome: "success",
    });
    return ok(c, null, "Password changed; sign in again");
  },
);
