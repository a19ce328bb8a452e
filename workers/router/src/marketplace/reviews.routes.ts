import { z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { communityMembers, moduleInstallations, moduleReviews, users } from "../../../../lib/db/schema/index.ts";
import { Conflict, Forbidden, NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { accountRoute, type RouteEnv } from "../api.ts";
import { auditChange, isUniqueViolation } from "./audit.ts";
import { ownModule } from "./catalog.guards.ts";
import { findListed } from "./catalog.repo.ts";
import { NameParams } from "./catalog.schema.ts";

/** Reviews of marketplace modules: one per user per module, by members of a community that has it. */
export const reviewsRoutes = createApiApp<RouteEnv>();

const ReviewInput = z
  .object({ rating: z.number().int().min(1).max(5), text: z.string().trim().max(2000).default("") })
  .strict()
  .openapi("ReviewInput");
/** An edit: what is left out keeps its value (no defaults in a PATCH). */
const ReviewPatch = z
  .object({ rating: z.number().int().min(1).max(5).optional(), text: z.string().trim().max(2000).optional() })
  .strict()
  .refine((p) => p.rating !== undefined || p.text !== undefined, "nothing to change")
  .openapi("ReviewPatch");
const ReplyInput = z
  .object({ text: z.string().trim().min(1).max(2000) })
  .strict()
  .openapi("ReviewReply");
const Review = z
  .object({
    id: z.string(),
    rating: z.number(),
    text: z.string(),
    author: z.string(),
    reply: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Review");
const ReviewList = z
  .object({ average: z.number().nullable(), count: z.number(), items: z.array(Review) })
  .openapi("ReviewList");

async function listed(db: ReturnType<typeof createDb>, name: string) {
  const m = await findListed(db, name);
  if (!m) throw new NotFound(`No marketplace module named ${name}`);
  return m;
}

const reviewView = (r: typeof moduleReviews.$inferSelect, author: string) => ({
  id: r.id,
  rating: r.rating,
  text: r.text,
  author,
  reply: r.reply,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

reviewsRoutes.openapi(
  accountRoute({
    method: "get",
    path: "/modules/{name}/reviews",
    tags: ["marketplace"],
    summary: "A module's reviews (newest first), with the average and count",
    permission: "marketplace:read",
    request: { params: NameParams },
    responses: {
      200: { description: "Reviews", ...jsonContent(envelopeOf(ReviewList)) },
      ...errorResponses(400, 401, 404),
    },
  }),
  async (c) => {
    const db = createDb(c.env.DB);
    const m = await listed(db, c.req.valid("param").name);
    const rows = await db
      .select({ review: moduleReviews, author: users.displayName })
      .from(moduleReviews)
      .innerJoin(users, eq(users.id, moduleReviews.userId))
      .where(eq(moduleReviews.moduleId, m.id))
      .orderBy(desc(moduleReviews.createdAt))
      .limit(100);
    const count = rows.length;
    const average = count ? Math.round((rows.reduce((s, r) => s + r.review.rating, 0) / count) * 100) / 100 : null;
    return ok(c, { average, count, items: rows.map((r) => reviewView(r.review, r.author)) });
  },
);

reviewsRoutes.openapi(
  accountRoute({
    method: "post",
    path: "/modules/{name}/reviews",
    tags: ["marketplace"],
    summary: "Review a module (members of a community that has it installed; one review each)",
    permission: "marketplace:review",
    request: { params: NameParams, body: { required: true, ...jsonContent(ReviewInput) } },
    responses: {
      201: { description: "Reviewed", ...jsonContent(envelopeOf(Review)) },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const db = createDb(c.env.DB);
    const m = await listed(db, c.req.valid("param").name);
    const input = c.req.valid("json");
    const principal = c.get("principal");
    if (m.authorId === principal.userId) throw new Forbidden("Authors do not review their own modules");
    const member = await db
      .select({ communityId: communityMembers.communityId })
      .from(communityMembers)
      .innerJoin(moduleInstallations, eq(moduleInstallations.communityId, communityMembers.communityId))
      .where(and(eq(communityMembers.userId, principal.userId), eq(moduleInstallations.moduleId, m.id)))
      .get();
    if (!member) throw new Forbidden("Only members of a community that has this module installed may review it");
    const id = crypto.randomUUID();
    try {
      await db.insert(moduleReviews).values({ id, moduleId: m.id, userId: principal.userId, ...input });
    } catch (err) {
      if (isUniqueViolation(err))
        throw new Conflict("You already reviewed this module: edit your review with PATCH …/reviews/mine");
      throw err;
    }
    const row = await db.select().from(moduleReviews).where(eq(moduleReviews.id, id)).get();
    return ok(c, reviewView(row!, principal.displayName), "Reviewed", 201);
  },
);

reviewsRoutes.openapi(
  accountRoute({
    method: "patch",
    path: "/modules/{name}/reviews/mine",
    tags: ["marketplace"],
    summary: "Edit your own review",
    permission: "marketplace:review",
    request: { params: NameParams, body: { required: true, ...jsonContent(ReviewPatch) } },
    responses: { 200: { description: "Edited", ...jsonContent(envelopeOf(Review)) }, ...errorResponses(400, 401, 404) },
  }),
  async (c) => {
    const db = createDb(c.env.DB);
    const m = await listed(db, c.req.valid("param").name);
    const principal = c.get("principal");
    const [row] = await db
      .update(moduleReviews)
      .set(c.req.valid("json"))
      .where(and(eq(moduleReviews.moduleId, m.id), eq(moduleReviews.userId, principal.userId)))
      .returning();
    if (!row) throw new NotFound("You have not reviewed this module");
    return ok(c, reviewView(row, principal.displayName), "Edited");
  },
);

reviewsRoutes.openapi(
  accountRoute({
    method: "post",
    path: "/modules/{name}/reviews/{reviewId}/reply",
    tags: ["marketplace"],
    summary: "The module's author answers a review",
    permission: "marketplace:publish",
    request: {
      params: NameParams.extend({ reviewId: z.uuid() }),
      body: { required: true, ...jsonContent(ReplyInput) },
    },
    responses: {
      200: { description: "Answered", ...jsonContent(envelopeOf(Review)) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { name, reviewId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const m = await ownModule(db, name, c.get("principal"));
    const [row] = await db
      .update(moduleReviews)
      .set({ reply: c.req.valid("json").text, repliedAt: new Date() })
      .where(and(eq(moduleReviews.id, reviewId), eq(moduleReviews.moduleId, m.id)))
      .returning();
    if (!row) throw new NotFound("No such review of this module");
    auditChange(c, {
      communityId: null,
      action: "marketplace.review.reply",
      targetType: "review",
      targetId: reviewId,
      details: { module: name },
    });
    const author = await db.select({ name: users.displayName }).from(users).where(eq(users.id, row.userId)).get();
    return ok(c, reviewView(row, author?.name ?? ""), "Answered");
  },
);
