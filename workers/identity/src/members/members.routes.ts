import { z } from "@hono/zod-openapi";
import { COMMUNITY_ROLES } from "../../../../lib/db/schema/index.ts";
import { Conflict, Forbidden, NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { actorOf, auditRequest } from "../audit/record.ts";
import { communityRoute } from "../auth/middleware.ts";
import type { AuthedEnv } from "../env.ts";
import { Email } from "../schemas.ts";
import { addMember, findMember, listMembers, setRole } from "./members.repo.ts";

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
const AddMemberBody = z
  .object({
    email: Email,
    displayName: z.string().trim().min(1).max(100),
    password: z
      .string()
      .min(12)
      .max(1024)
      .optional()
      .openapi({ description: "For a new portal user; without one they sign in through a password reset" }),
    role: Role.default("member"),
  })
  .openapi("AddMember");

/** Community members and their roles: mounted at /api/v1/communities/{communityId}/members. */
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
    return ok(c, toJson(updated), "Role changed");
  },
);

membersRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/members",
    tags,
    summary: "Add a portal user to the community by email (a new email becomes a new portal user)",
    permission: "members:write",
    request: {
      params: CommunityParams,
      body: { content: { "application/json": { schema: AddMemberBody } }, required: true },
    },
    responses: {
      201: { description: "The member", content: { "application/json": { schema: envelopeOf(Member) } } },
      ...errorResponses(400, 401, 403, 409),
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
    const userId = await addMember(c.env.DB, communityId, input);
    if (!userId) throw new Conflict("Already a member of this community");
    await auditRequest(c, {
      ...actorOf(principal),
      communityId,
      action: "member.add",
      targetType: "user",
      targetId: userId,
      outcome: "success",
      details: { role: input.role },
    });
    const added = (await listMembers(c.env.DB, communityId)).find((m) => m.userId === userId)!;
    return ok(c, toJson(added), "Member added", 201);
  },
);
