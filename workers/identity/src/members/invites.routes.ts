import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { credentialsOf } from "../../../../lib/auth/hono.ts";
import { hashPassword } from "../../../../lib/crypto/password.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { users } from "../../../../lib/db/schema/index.ts";
import { BadRequest, Conflict, Forbidden } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { auditRequest } from "../audit/record.ts";
import { authenticate } from "../auth/authenticate.ts";
import { sessionCookies } from "../auth/login.routes.ts";
import type { AppEnv } from "../env.ts";
import { findUser } from "../linking/linking.repo.ts";
import { createSession } from "../sessions/sessions.repo.ts";
import { claimInvite, findUserByEmail, type InviteRow, joinStatement, unclaimInvite } from "./invites.repo.ts";

/**
 * Accepting an emailed community invite (mounted at /api/v1/auth/invites). The token proves
 * the person reads that mailbox; the account is theirs to make or prove:
 * - signed in already (password or platform login): they join as themselves; an account
 *   without an email takes the invited one;
 * - not signed in and new to WaddleBot: they choose their own password here;
 * - not signed in, but the email has an account: they sign in first (409 says so: only the
 *   mailbox's owner, who holds the token, learns that the account exists).
 */
export const invitesRoutes = createApiApp<AppEnv>();

const AcceptBody = z
  .object({
    token: z.string().max(200),
    password: z.string().min(12, "Use at least 12 characters").max(1024).optional(),
    displayName: z.string().trim().min(1).max(100).optional(),
  })
  .openapi("AcceptInvite");
const Accepted = z.object({ userId: z.string(), communityId: z.string(), role: z.string() }).openapi("AcceptedInvite");
const INVALID = "This invitation is invalid, used or expired; ask for a new one";

invitesRoutes.openapi(
  createRoute({
    method: "post",
    path: "/accept",
    tags: ["members"],
    summary: "Accept a community invite: join as the signed-in user, or create an account with your own password",
    request: { body: { content: { "application/json": { schema: AcceptBody } }, required: true } },
    responses: {
      200: { description: "Joined", content: { "application/json": { schema: envelopeOf(Accepted) } } },
      ...errorResponses(400, 403, 409),
    },
  }),
  async (c) => {
    const input = c.req.valid("json");
    const principal = await authenticate(c.env, credentialsOf(c), c.executionCtx);
    // A person accepts, in the portal: an API key (of any scope) must not join its owner to a
    // community, nor give an email-less account the invited address, which a password reset
    // sent there would turn into a login for whoever holds that mailbox.
    if (principal?.via === "api_key")
      throw new Forbidden("Accept an invitation signed in to the portal, not with an API key");
    const invite = await claimInvite(c.env.DB, input.token);
    if (!invite) throw new BadRequest(INVALID);
    try {
      const userId = principal
        ? await joinSignedIn(c.env.DB, invite, principal.userId)
        : await joinAsNewUser(c.env.DB, invite, input);
      if (!principal) {
        const session = await createSession(c.env, userId, credentialsOf(c).ip);
        for (const cookie of await sessionCookies(session.token)) c.header("set-cookie", cookie, { append: true });
      }
      await auditRequest(c, {
        actorType: "user",
        actorId: userId,
        communityId: invite.communityId,
        action: "member.invite.accept",
        targetType: "invite",
        targetId: invite.id,
        outcome: "success",
        details: { role: invite.role, newAccount: !principal },
      });
      return ok(c, { userId, communityId: invite.communityId, role: invite.role }, "Welcome");
    } catch (err) {
      // Nothing was written: the invite stays usable for the right account.
      await unclaimInvite(c.env.DB, invite.id);
      throw err;
    }
  },
);

async function joinSignedIn(d1: D1Database, invite: InviteRow, userId: string): Promise<string> {
  const db = createDb(d1);
  const user = await findUser(d1, userId);
  if (user?.email && user.email !== invite.email) {
    throw new Conflict("This invitation was sent to another email address; sign in with that account");
  }
  if (!user?.email && (await findUserByEmail(d1, invite.email))) {
    throw new Conflict("Another account already uses this email; sign in with it to accept");
  }
  await db.batch([
    joinStatement(d1, invite, userId),
    db.update(users).set({ email: invite.email, updatedAt: new Date() }).where(eq(users.id, userId)),
  ]);
  return userId;
}

async function joinAsNewUser(
  d1: D1Database,
  invite: InviteRow,
  input: { password?: string | undefined; displayName?: string | undefined },
): Promise<string> {
  if (await findUserByEmail(d1, invite.email)) {
    throw new Conflict("An account with this email exists: sign in, then accept the invitation");
  }
  if (!input.password) throw new BadRequest("Choose a password (at least 12 characters) to create your account");
  const userId = crypto.randomUUID();
  const db = createDb(d1);
  // One batch: never an account without its membership, or the other way round.
  await db.batch([
    db.insert(users).values({
      id: userId,
      email: invite.email,
      passwordHash: await hashPassword(input.password),
      displayName: input.displayName ?? invite.displayName ?? invite.email.split("@")[0]!,
    }),
    joinStatement(d1, invite, userId),
  ]);
  return userId;
}
