import { and, eq } from "drizzle-orm";
import { createDb, type Database } from "../../../../lib/db/client.ts";
import { communityMembers } from "../../../../lib/db/schema/index.ts";
import { BadRequest, NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { labelEntity, unlabelEntity } from "../../../../lib/labels/entity-labels.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import * as repo from "./labels.repo.ts";
import { toApiLabel } from "./labels.routes.ts";
import { AppliedLabels, BulkInput, BulkResult, LabelRef, MemberLabelParams, MemberParams } from "./labels.schema.ts";
import { auditLabelChange, labelActor } from "./labels-audit.ts";
import { runBulk } from "./labels-bulk.ts";
import { enqueueRoleSync, messagesFor } from "./role-sync.ts";
import { invalidateLabelSearch } from "./search.ts";

/**
 * Admin API: labels on members (one at a time, or in bulk). Mounted before the identity proxy,
 * which owns the rest of `/members/*`.
 */
export const memberLabelsRoutes = createApiApp<RouteEnv>();

async function assertMember(db: Database, communityId: string, userId: string) {
  const found = await db
    .select({ userId: communityMembers.userId })
    .from(communityMembers)
    .where(and(eq(communityMembers.communityId, communityId), eq(communityMembers.userId, userId)))
    .get();
  if (!found) throw new NotFound("No such member in this community");
}

const member = (communityId: string, userId: string) => ({
  communityId,
  entityType: "user" as const,
  entityId: userId,
});

const applied = (userId: string, labels: repo.LabelRow[]) => ({
  entityType: "user" as const,
  entityId: userId,
  labels: labels.map((l) => toApiLabel(l)),
});
const Applied = { 200: { description: "The member's labels now", ...jsonContent(envelopeOf(AppliedLabels)) } };

memberLabelsRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/members/{userId}/labels",
    tags: ["labels"],
    summary: "A member's labels",
    permission: "labels:read",
    request: { params: MemberParams },
    responses: { ...Applied, ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { communityId, userId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    await assertMember(db, communityId, userId);
    return ok(c, applied(userId, await repo.labelsOf(db, communityId, "user", userId)));
  },
);

memberLabelsRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/members/{userId}/labels",
    tags: ["labels"],
    summary: "Put a label (by id or name) on a member; at most 5 per member (409)",
    permission: "labels:write",
    request: { params: MemberParams, body: { required: true, ...jsonContent(LabelRef.openapi("LabelRef")) } },
    responses: { ...Applied, ...errorResponses(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const { communityId, userId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    await assertMember(db, communityId, userId);
    const label = repo.findLabel(await repo.allLabels(db, communityId), c.req.valid("json").label);
    if (!label) throw new BadRequest(`No label "${c.req.valid("json").label}" in this community`);
    // The row and its audit entry are one batch; a sixth label is refused inside the INSERT.
    const done = await labelEntity(c.env.DB, member(communityId, userId), label, labelActor(c), "labels.add_user");
    if (done === "cap") throw new repo.LabelLimit("A user");
    const added = done === "added";
    const now = await repo.labelsOf(db, communityId, "user", userId);
    if (added) {
      invalidateLabelSearch(communityId);
      await enqueueRoleSync(c.env, await messagesFor(db, communityId, [{ userId, labelId: label.id }]));
    }
    return ok(c, applied(userId, now), added ? "Label added" : "The member already has that label");
  },
);

memberLabelsRoutes.openapi(
  communityRoute({
    method: "delete",
    path: "/{communityId}/members/{userId}/labels/{labelId}",
    tags: ["labels"],
    summary: "Take a label off a member",
    permission: "labels:write",
    request: { params: MemberLabelParams },
    responses: { ...Applied, ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { communityId, userId, labelId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    await assertMember(db, communityId, userId);
    const label = await repo.getLabel(db, communityId, labelId);
    if (!label) throw new NotFound("No such label");
    const removed = await unlabelEntity(
      c.env.DB,
      member(communityId, userId),
      label,
      labelActor(c),
      "labels.remove_user",
    );
    if (removed) {
      invalidateLabelSearch(communityId);
      await enqueueRoleSync(c.env, await messagesFor(db, communityId, [{ userId, labelId }]));
    }
    const now = await repo.labelsOf(db, communityId, "user", userId);
    return ok(c, applied(userId, now), removed ? "Label removed" : "The member did not have that label");
  },
);

memberLabelsRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/labels/bulk",
    tags: ["labels"],
    summary:
      "Add or remove labels on members, memories and item kinds, up to 1,000 operations, atomically: one invalid item and none is applied (400 lists each invalid item with its index)",
    permission: "labels:write",
    request: { params: CommunityParams, body: { required: true, ...jsonContent(BulkInput) } },
    responses: {
      200: { description: "Applied", ...jsonContent(envelopeOf(BulkResult)) },
      ...errorResponses(400, 401, 403, 404, 409, 413),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const { operations } = c.req.valid("json");
    const plan = await runBulk(c.env.DB, communityId, operations);
    const added = plan.changes.filter((ch) => ch.added).length;
    const removed = plan.changes.length - added;
    if (plan.changes.length) {
      invalidateLabelSearch(communityId);
      await auditLabelChange(
        c,
        communityId,
        "labels.bulk",
        { type: "community", id: communityId },
        {
          operations: operations.length,
          added,
          removed,
        },
      );
      // Only members' labels map to platform roles.
      const members = plan.changes.flatMap((ch) => (ch.entityType === "user" ? [{ ...ch, userId: ch.entityId }] : []));
      await enqueueRoleSync(c.env, await messagesFor(createDb(c.env.DB), communityId, members));
    }
    return ok(c, { applied: plan.changes.length, added, removed }, "Bulk operations applied");
  },
);
