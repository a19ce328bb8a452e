import { z } from "@hono/zod-openapi";
import { COMMUNITY_ROLES } from "../../../../lib/db/schema/index.ts";
import { Forbidden, NotFound, ServiceUnavailable } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { log } from "../../../../lib/log.ts";
import { actorOf, auditRequest } from "../audit/record.ts";
import { communityRoute } from "../auth/middleware.ts";
import { emailSender, emailUnavailableResponse, requireEmailSender } from "../email.ts";
import { type AuthedEnv, publicUrl } from "../env.ts";
import { Email } from "../schemas.ts";
import { deleteInvite, findCommunity, issueInvite } from "./invites.repo.ts";
import { findMember, listMembers, setRole } from "./members.repo.ts";

const Role = z.enum(COMMUNITY_ROLES);
const Identity = z.object({ platform: z.string(), platformUserId: z.string(), username: z.string() });
const Member = z
  .object({
    userId: z.string(),
    displayName: z.string(),
    email: z.string().nullable(),
    role: Role,
    points: z.number().int(),
    reputation: z.number().int(),
    joinedAt: z.string(),
    identities: z.array(Identity).openapi({ description: "Linked platform accounts" }),
  })
  .openapi("Member");
const CommunityParams = z.object({ communityId: z.uuid() });
const MemberParams = CommunityParams.extend({ userId: z.uuid() });
const RoleBody = z.object({ role: Role }).openapi("SetRole");
// Strict: an admin never chooses someone's password (a `password` field is a 400, not ignored).
const AddMemberBody = z
  .strictObject({
    email: Email,
    displayName: z.string().trim().min(1).max(100).optional(),
    role: Role.default("member"),
  })
  .openapi("AddMember");
const Invitation = z
  .object({ email: z.string(), role: Role, expiresAt: z.string() })
  .openapi("MemberInvitation", { description: "The same answer whether or not the email has an account" });

/** Community members and their roles: mounted at /api/v1/communities/{communityId}/members. */
/**
 * Tells the member by email that their role changed (and who changed it), so a demotion or an
 * owner transfer never goes unnoticed. Best effort: the change stands if the mail fails.
 */
async function notifyRoleChange(
  env: AuthedEnv["Bindings"],
  change: { email: string | null; from: string; role: string; by: string; communityId: string },
) {
  const sender = emailSender(env);
  const community = await findCommunity(env.DB, change.communityId);
  if (!sender || !change.email || !community) return;
  try {
    await sender.send({
      to: change.email,
      subject: `Your role in ${community.name} is now ${change.role}`,
      text:
        `${change.by} changed your role in ${community.name} on WaddleBot from ${change.from} to ${change.role}. ` +
        `Sign in at ${publicUrl(env)}/ to see what you may do now. If this looks wrong, ask the community's owner.`,
    });
  } catch (err) {
    log.warn("role change email failed", { error: err instanceof Error ? err.name : "unknown" });
  }
}

export const membersRoutes = createApiApp<AuthedEnv>();

const tags = ["members"];
const toJson = (m: Awaited<ReturnType<typeof listMembers>>[number]) => ({ ...m, joinedAt: m.joinedAt.toISOString() });

membersRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/members",
    tags,
    summary: "A community's members with their roles and points",
    permission: "members:read",
    request: { params: CommunityParams },
    responses: {
      200: { description: "Members", content: { "application/json": { schema: envelopeOf(z.array(Member)) } } },
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) => ok(c, (await listMembers(c.env.DB, c.req.valid("param").communityId)).map(toJson)),
);

membersRoutes.openapi(
  communityRoute({
    method: "put",
    path: "/{communityId}/members/{userId}/role",
    tags,
    summary: "Change a member's role (owners alone grant or take away `owner`)",
    permission: "members:write",
    request: { params: MemberParams, body: { content: { "application/json": { schema: RoleBody } }, required: true } },
    responses: {
      200: { description: "The member", content: { "application/json": { schema: envelopeOf(Member) } } },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const principal = c.get("principal");
    const { communityId, userId } = c.req.valid("param");
    const { role } = c.req.valid("json");
    if (userId === principal.userId) throw new Forbidden("You cannot change your own role");
    const target = await findMember(c.env.DB, communityId, userId);
    if (!target) throw new NotFound("No such member in this community");
    const mine = await findMember(c.env.DB, communityId, principal.userId);
    const isOwner = principal.globalRole === "admin" || mine?.role === "owner";
    if ((role === "owner" || target.role === "owner") && !isOwner) {
      throw new Forbidden("Only an owner can grant or take away the owner role");
    }
    await setRole(c.env.DB, communityId, userId, role);
    await auditRequest(c, {
      ...actorOf(principal),
      communityId,
      action: "member.role",
      targetType: "user",
      targetId: userId,
      outcome: "success",
      details: { from: target.role, to: role },
    });
    const updated = (await listMembers(c.env.DB, communityId)).find((m) => m.userId === userId)!;
    if (target.role !== role) {
      await notifyRoleChange(c.env, {
        email: updated.email,
        from: target.role,
        role,
        by: principal.displayName,
        communityId,
      });
    }
    return ok(c, toJson(updated), "Role changed");
  },
);

membersRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/members",
    tags,
    summary: "Invite someone by email: they accept with their own password or a platform login",
    permission: "members:write",
    request: {
      params: CommunityParams,
      body: { content: { "application/json": { schema: AddMemberBody } }, required: true },
    },
    responses: {
      202: { description: "Invitation sent", content: { "application/json": { schema: envelopeOf(Invitation) } } },
      ...errorResponses(400, 401, 403, 404),
      ...emailUnavailableResponse,
    },
  }),
  async (c) => {
    const principal = c.get("principal");
    const { communityId } = c.req.valid("param");
    const input = c.req.valid("json");
    if (input.role === "owner" && principal.globalRole !== "admin") {
      const mine = await findMember(c.env.DB, communityId, principal.userId);
      if (mine?.role !== "owner") throw new Forbidden("Only an owner can grant the owner role");
    }
    const community = await findCommunity(c.env.DB, communityId);
    if (!community) throw new NotFound("No such community");
    const sender = requireEmailSender(c.env);
    // No user lookup: whether the email has an account changes nothing in the answer.
    const invite = await issueInvite(c.env.DB, {
      communityId,
      email: input.email,
      displayName: input.displayName ?? null,
      role: input.role,
      invitedBy: principal.userId,
    });
    const link = `${publicUrl(c.env)}/accept-invite?token=${invite.token}`;
    try {
      await sender.send({
        to: input.email,
        subject: `You are invited to ${community.name} on WaddleBot`,
        text:
          `${principal.displayName} invited you to join ${community.name} on WaddleBot as ${input.role}. ` +
          `Open ${link} within 7 days to accept: choose your own password, or sign in (with your password or ` +
          "Discord, Twitch or Slack) and accept. If you did not expect this, ignore this email.",
      });
    } catch (err) {
      await deleteInvite(c.env.DB, invite.id);
      log.warn("invite email failed", { error: err instanceof Error ? err.name : "unknown" });
      throw new ServiceUnavailable("The invitation email could not be sent; try again later");
    }
    await auditRequest(c, {
      ...actorOf(principal),
      communityId,
      action: "member.invite",
      targetType: "email",
      targetId: input.email,
      outcome: "success",
      details: { role: input.role, invite: invite.id },
    });
    const data = { email: input.email, role: input.role, expiresAt: invite.expiresAt.toISOString() };
    return ok(c, data, `Invitation sent to ${input.email}`, 202);
  },
);
