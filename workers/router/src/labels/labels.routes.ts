import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { entityLabels, modules } from "../../../../lib/db/schema/index.ts";
import { BadRequest, NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { patchOf } from "../../../../lib/http/patch.ts";
import { replaceEntityLabels } from "../../../../lib/labels/entity-labels.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import * as repo from "./labels.repo.ts";
import {
  AppliedLabels,
  CommunityLabelsInput,
  LabelFields,
  LabelInput,
  LabelParams,
  LabelSchema,
  MAX_LABELS_PER_ENTITY,
  SearchPage,
  SearchQuery,
} from "./labels.schema.ts";
import { auditLabelChange } from "./labels-audit.ts";
import { enqueueRoleSync, messagesFor } from "./role-sync.ts";
import { invalidateLabelSearch, searchLabels } from "./search.ts";

export const toApiLabel = (l: repo.LabelRow & { users?: number }) => ({
  id: l.id,
  communityId: l.communityId,
  name: l.name,
  color: l.color,
  description: l.description,
  users: l.users ?? 0,
  createdAt: l.createdAt.toISOString(),
  updatedAt: l.updatedAt.toISOString(),
});
const LabelPatch = patchOf(LabelFields).openapi("LabelPatch");
const ModuleLabelParams = z.object({ communityId: z.uuid(), moduleId: z.string().min(1).max(100) });

/** Admin API: the community's label catalogue, its own labels, modules' labels and search. */
export const labelsRoutes = createApiApp<RouteEnv>();

labelsRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/labels",
    tags: ["labels"],
    summary: "The community's labels, with how many users carry each",
    permission: "labels:read",
    request: { params: CommunityParams },
    responses: {
      200: { description: "Labels", ...jsonContent(envelopeOf(z.array(LabelSchema))) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    return ok(c, (await repo.listLabels(createDb(c.env.DB), communityId)).map(toApiLabel));
  },
);

labelsRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/labels",
    tags: ["labels"],
    summary: "Create a label (names compare trimmed and case-insensitive: a duplicate is 409)",
    permission: "labels:write",
    request: { params: CommunityParams, body: { required: true, ...jsonContent(LabelInput) } },
    responses: {
      201: { description: "Created", ...jsonContent(envelopeOf(LabelSchema)) },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const row = await repo.createLabel(createDb(c.env.DB), communityId, c.req.valid("json"));
    invalidateLabelSearch(communityId);
    await auditLabelChange(c, communityId, "labels.create", { type: "label", id: row.id }, { to: toApiLabel(row) });
    return ok(c, toApiLabel(row), "Label created", 201);
  },
);

labelsRoutes.openapi(
  communityRoute({
    method: "patch",
    path: "/{communityId}/labels/{labelId}",
    tags: ["labels"],
    summary: "Rename or recolour a label",
    permission: "labels:write",
    request: { params: LabelParams, body: { required: true, ...jsonContent(LabelPatch) } },
    responses: {
      200: { description: "Updated", ...jsonContent(envelopeOf(LabelSchema)) },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const { communityId, labelId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const existing = await repo.getLabel(db, communityId, labelId);
    if (!existing) throw new NotFound("No such label");
    const merged = LabelFields.safeParse({ ...existing, ...c.req.valid("json") });
    if (!merged.success) throw new BadRequest("Invalid input", merged.error.issues);
    const row = await repo.updateLabel(db, communityId, labelId, merged.data);
    invalidateLabelSearch(communityId);
    const from = toApiLabel(existing);
    await auditLabelChange(
      c,
      communityId,
      "labels.update",
      { type: "label", id: labelId },
      { from, to: toApiLabel(row) },
    );
    return ok(c, toApiLabel(row), "Label updated");
  },
);

labelsRoutes.openapi(
  communityRoute({
    method: "delete",
    path: "/{communityId}/labels/{labelId}",
    tags: ["labels"],
    summary: "Delete a label: it leaves every entity, and roles its entity groups gave are taken back",
    permission: "labels:write",
    request: { params: LabelParams },
    responses: {
      200: { description: "Deleted", ...jsonContent(envelopeOf(z.object({ id: z.string() }))) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId, labelId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const holders = await db
      .select({ userId: entityLabels.entityId })
      .from(entityLabels)
      .where(and(eq(entityLabels.labelId, labelId), eq(entityLabels.entityType, "user")));
    // Found before the delete (its groups go with it); the consumer then sees no group and removes.
    const messages = await messagesFor(
      db,
      communityId,
      holders.map((h) => ({ userId: h.userId, labelId })),
    );
    const gone = await repo.deleteLabel(db, communityId, labelId);
    if (!gone) throw new NotFound("No such label");
    invalidateLabelSearch(communityId);
    await auditLabelChange(c, communityId, "labels.delete", { type: "label", id: labelId }, { from: toApiLabel(gone) });
    await enqueueRoleSync(c.env, messages);
    return ok(c, { id: labelId }, "Label deleted");
  },
);

/** Resolves names/ids to the community's labels, or 400 naming every unknown one. */
async function resolveAll(db: ReturnType<typeof createDb>, communityId: string, refs: string[]) {
  const catalogue = await repo.allLabels(db, communityId);
  const found = refs.map((ref) => ({ ref, label: repo.findLabel(catalogue, ref) }));
  const unknown = found.filter((f) => !f.label).map((f) => f.ref);
  if (unknown.length) throw new BadRequest(`No such label: ${unknown.join(", ")}`, { unknown });
  return [...new Map(found.map((f) => [f.label!.id, f.label!])).values()];
}

for (const [path, entityType] of [
  ["/{communityId}/labels/community", "community"],
  ["/{communityId}/labels/modules/{moduleId}", "module"],
] as const) {
  labelsRoutes.openapi(
    communityRoute({
      method: "put",
      path,
      tags: ["labels"],
      summary:
        entityType === "community"
          ? "Set the community's own labels (replaced as a whole; at most 5)"
          : "Set a module's labels in this community (replaced as a whole; at most 5)",
      permission: "labels:write",
      request: {
        params: entityType === "community" ? CommunityParams : ModuleLabelParams,
        body: { required: true, ...jsonContent(CommunityLabelsInput) },
      },
      responses: {
        200: { description: "Applied", ...jsonContent(envelopeOf(AppliedLabels)) },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const params = c.req.valid("param") as { communityId: string; moduleId?: string };
      const { communityId } = params;
      const entityId = params.moduleId ?? communityId;
      const db = createDb(c.env.DB);
      if (params.moduleId) {
        const found = await db.select({ id: modules.id }).from(modules).where(eq(modules.id, params.moduleId)).get();
        if (!found) throw new NotFound("No such module");
      }
      const wanted = await resolveAll(db, communityId, c.req.valid("json").labels);
      if (wanted.length > MAX_LABELS_PER_ENTITY)
        throw new repo.LabelLimit(entityType === "community" ? "A community" : "A module");
      const before = await repo.labelsOf(db, communityId, entityType, entityId);
      await replaceEntityLabels(
        c.env.DB,
        { communityId, entityType, entityId },
        wanted.map((l) => l.id),
      );
      invalidateLabelSearch(communityId);
      const names = (ls: { name: string }[]) => ls.map((l) => l.name);
      await auditLabelChange(
        c,
        communityId,
        `labels.set_${entityType}`,
        { type: entityType, id: entityId },
        {
          from: names(before),
          to: names(wanted),
        },
      );
      return ok(c, { entityType, entityId, labels: wanted.map(toApiLabel) }, "Labels set");
    },
  );
}

labelsRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/labels/search",
    tags: ["labels"],
    summary: "Users, modules and the community carrying any (or all) of the labels, paged",
    permission: "labels:read",
    request: { params: CommunityParams, query: SearchQuery },
    responses: {
      200: { description: "A page", ...jsonContent(envelopeOf(SearchPage)) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    return ok(c, await searchLabels(c.env.DB, communityId, c.req.valid("query")));
  },
);
