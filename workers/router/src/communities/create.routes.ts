import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { recordAudit } from "../../../../lib/audit.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { communities, communityMembers } from "../../../../lib/db/schema/index.ts";
import { Conflict, Forbidden } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { accountRoute, type RouteEnv } from "../api.ts";
import { mayCreateCommunity } from "./create.ts";

/** Lowercase letters, digits and inner hyphens, 3–40: it appears in URLs and chat. */
const Slug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$/, "3–40 lowercase letters, digits or inner hyphens")
  .refine((s) => !s.includes("--"), "No double hyphens");

const CreateBody = z
  .object({ slug: Slug, name: z.string().trim().min(1).max(100) })
  .strict()
  .openapi("CommunityCreate");
const Created = z
  .object({ id: z.string(), slug: z.string(), name: z.string(), role: z.literal("owner"), demo: z.boolean() })
  .openapi("CommunityCreated");

export const createCommunityRoutes = createApiApp<RouteEnv>();

createCommunityRoutes.openapi(
  accountRoute({
    method: "post",
    path: "/",
    tags: ["communities"],
    summary: "Create a community; the caller becomes its owner (who may: COMMUNITY_CREATION)",
    permission: "communities:create",
    request: { body: { ...jsonContent(CreateBody), required: true } },
    responses: {
      201: { description: "Created", content: { "application/json": { schema: envelopeOf(Created) } } },
      ...errorResponses(400, 401, 403, 409),
    },
  }),
  async (c) => {
    const principal = c.get("principal");
    if (!mayCreateCommunity(c.env, principal)) {
      throw new Forbidden("Only the instance owner may create communities here (COMMUNITY_CREATION=owner-only)");
    }
    const { slug, name } = c.req.valid("json");
    const db = createDb(c.env.DB);
    if (await db.select({ id: communities.id }).from(communities).where(eq(communities.slug, slug)).get()) {
      throw new Conflict(`The slug "${slug}" is taken`);
    }
    const id = crypto.randomUUID();
    try {
      // One batch = one transaction: never a community without its owner.
      await db.batch([
        db.insert(communities).values({ id, slug, name, ownerUserId: principal.userId }),
        db.insert(communityMembers).values({ communityId: id, userId: principal.userId, role: "owner" }),
      ]);
    } catch (err) {
      // Two requests for one slug at once: the unique index decides, the loser gets the same 409.
      if (String((err as Error)?.message ?? err).includes("UNIQUE")) throw new Conflict(`The slug "${slug}" is taken`);
      throw err;
    }
    await recordAudit(c.env.DB, {
      requestId: (c.get("requestId" as never) as string | undefined) ?? null,
      actorType: principal.via === "api_key" ? "api_key" : "user",
      actorId: principal.userId,
      communityId: id,
      action: "community.create",
      targetType: "community",
      targetId: id,
      outcome: "success",
      details: { from: null, to: { slug, name } },
    });
    return ok(c, { id, slug, name, role: "owner" as const, demo: false }, "Community created", 201);
  },
);
