import { z } from "@hono/zod-openapi";
import { and, count, eq, inArray, ne } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import {
  auditLog,
  commands,
  communityMembers,
  communityPlatforms,
  memberInvites,
  PLATFORMS,
  platformActivity,
} from "../../../../lib/db/schema/index.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { released } from "../../../../lib/rpc.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import { overlayRoom } from "../overlays/publish.ts";

const PlatformStatus = z.object({
  platform: z.enum(PLATFORMS),
  linked: z.boolean().openapi({ description: "The community has this platform's server/channel/workspace" }),
  lastEventAt: z.string().nullable().openapi({ description: "When the bot last heard a real event from it" }),
});

const GettingStarted = z
  .object({
    passwordChanged: z.boolean().openapi({ description: "The caller set their own password (reset or invite)" }),
    platforms: z.array(PlatformStatus),
    firstCommand: z.boolean(),
    overlayConnected: z.boolean().openapi({ description: "An overlay page (OBS) is connected now" }),
    moderatorInvited: z.boolean().openapi({ description: "Someone else moderates, or has been invited to" }),
  })
  .openapi("GettingStarted");

/** Audit actions in which a person chose their own password. */
const OWN_PASSWORD = ["auth.password_reset.confirm", "member.invite.accept"];

/**
 * Admin API: the dashboard's getting-started checklist, each item from a real signal (audit
 * trail, platform links and the last live event per platform, commands, overlay pages connected
 * now, members and invites) rather than a flag someone ticks.
 */
export const gettingStartedRoutes = createApiApp<RouteEnv>();

gettingStartedRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/getting-started",
    tags: ["communities"],
    summary: "The getting-started checklist, from real signals",
    permission: "executions:read",
    request: { params: CommunityParams },
    responses: {
      200: { description: "The checklist", content: { "application/json": { schema: envelopeOf(GettingStarted) } } },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const me = c.get("principal").userId;
    const db = createDb(c.env.DB);
    const [password, links, activity, commandCount, others, invites, overlays] = await Promise.all([
      db
        .select({ n: count() })
        .from(auditLog)
        .where(and(eq(auditLog.actorId, me), inArray(auditLog.action, OWN_PASSWORD), eq(auditLog.outcome, "success"))),
      db
        .select({ platform: communityPlatforms.platform })
        .from(communityPlatforms)
        .where(and(eq(communityPlatforms.communityId, communityId), eq(communityPlatforms.status, "active"))),
      db.select().from(platformActivity).where(eq(platformActivity.communityId, communityId)),
      db.select({ n: count() }).from(commands).where(eq(commands.communityId, communityId)),
      db
        .select({ n: count() })
        .from(communityMembers)
        .where(
          and(
            eq(communityMembers.communityId, communityId),
            ne(communityMembers.userId, me),
            inArray(communityMembers.role, ["moderator", "admin", "owner"]),
          ),
        ),
      db
        .select({ n: count() })
        .from(memberInvites)
        .where(and(eq(memberInvites.communityId, communityId), ne(memberInvites.role, "member"))),
      overlayRoom(c.env, communityId).counts().then(released),
    ]);
    const linked = new Set(links.map((l) => l.platform));
    const heard = new Map(activity.map((a) => [a.platform, a.lastEventAt.toISOString()]));
    return ok(c, {
      passwordChanged: (password[0]?.n ?? 0) > 0,
      platforms: PLATFORMS.map((platform) => ({
        platform,
        linked: linked.has(platform),
        lastEventAt: heard.get(platform) ?? null,
      })),
      firstCommand: (commandCount[0]?.n ?? 0) > 0,
      overlayConnected: overlays.ticker + overlays.media + overlays.general > 0,
      moderatorInvited: (others[0]?.n ?? 0) + (invites[0]?.n ?? 0) > 0,
    });
  },
);
