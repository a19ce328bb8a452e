import { z } from "@hono/zod-openapi";
import { and, eq, inArray } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { communities, communityMembers, communityPlatforms } from "../../../../lib/db/schema/index.ts";
import { NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { accountRoute, CommunityParams, communityRoute, type RouteEnv } from "../api.ts";

const Platform = z.object({
  platform: z.enum(["discord", "twitch", "slack"]),
  platformId: z.string(),
  displayName: z.string().nullable(),
  status: z.string(),
});
const Community = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    role: z.string().nullable().openapi({ description: "The caller's role in it (null for global admins)" }),
    demo: z.boolean().openapi({ description: "The local demo community (scripts/seed.ts), labelled so in the portal" }),
    platforms: z.array(Platform),
  })
  .openapi("Community");

export const communitiesRoutes = createApiApp<RouteEnv>();

communitiesRoutes.openapi(
  accountRoute({
    method: "get",
    path: "/",
    tags: ["communities"],
    summary: "The communities the caller belongs to (every community, for a global admin)",
    permission: "communities:list",
    responses: {
      200: { description: "Communities", content: { "application/json": { schema: envelopeOf(z.array(Community)) } } },
      ...errorResponses(401),
    },
  }),
  async (c) => {
    const principal = c.get("principal");
    const db = createDb(c.env.DB);
    const rows =
      principal.globalRole === "admin"
        ? await db
            .select({ community: communities, role: communityMembers.role })
            .from(communities)
            .leftJoin(
              communityMembers,
              and(eq(communityMembers.communityId, communities.id), eq(communityMembers.userId, principal.userId)),
            )
        : await db
            .select({ community: communities, role: communityMembers.role })
            .from(communityMembers)
            .innerJoin(communities, eq(communities.id, communityMembers.communityId))
            .where(eq(communityMembers.userId, principal.userId));
    const ids = rows.map((r) => r.community.id);
    const links = ids.length
      ? await db.select().from(communityPlatforms).where(inArray(communityPlatforms.communityId, ids))
      : [];
    return ok(
      c,
      rows.map((r) => ({
        id: r.community.id,
        slug: r.community.slug,
        name: r.community.name,
        role: r.role ?? null,
        demo: r.community.settings?.demo === true,
        platforms: links
          .filter((l) => l.communityId === r.community.id)
          .map((l) => ({
            platform: l.platform,
            platformId: l.platformId,
            displayName: l.displayName,
            status: l.status,
          })),
      })),
    );
  },
);

communitiesRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}",
    tags: ["communities"],
    summary: "One community with its platform links",
    permission: "community:read",
    request: { params: CommunityParams },
    responses: {
      200: { description: "The community", content: { "application/json": { schema: envelopeOf(Community) } } },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const community = await db.select().from(communities).where(eq(communities.id, communityId)).get();
    if (!community) throw new NotFound("No such community");
    const member = await db
      .select({ role: communityMembers.role })
      .from(communityMembers)
      .where(and(eq(communityMembers.communityId, communityId), eq(communityMembers.userId, c.get("principal").userId)))
      .get();
    const links = await db.select().from(communityPlatforms).where(eq(communityPlatforms.communityId, communityId));
    return ok(c, {
      id: community.id,
      slug: community.slug,
      name: community.name,
      role: member?.role ?? null,
      demo: community.settings?.demo === true,
      platforms: links.map((l) => ({
        platform: l.platform,
        platformId: l.platformId,
        displayName: l.displayName,
        status: l.status,
      })),
    });
  },
);
