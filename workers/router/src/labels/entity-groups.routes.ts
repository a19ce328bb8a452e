import { z } from "@hono/zod-openapi";
import { and, asc, count, eq } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { entityGroups, entityLabels, labels } from "../../../../lib/db/schema/index.ts";
import { BadRequest, Conflict, NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import * as repo from "./labels.repo.ts";
import { EntityGroupInput, EntityGroupSchema, GroupParams, MAX_ENTITY_GROUPS } from "./labels.schema.ts";
import { auditLabelChange } from "./labels-audit.ts";
import { enqueueRoleSync, type RoleSyncMessage } from "./role-sync.ts";

type GroupRow = typeof entityGroups.$inferSelect;
const toApi = (g: GroupRow, label: string) => ({
  id: g.id,
  communityId: g.communityId,
  labelId: g.labelId,
  label,
  platform: g.platform,
  roleId: g.roleId,
  createdAt: g.createdAt.toISOString(),
});

/** Every holder of the group's label: one sync message each (creating or deleting a group). */
async function holders(c: { env: RouteEnv["Bindings"] }, g: GroupRow): Promise<RoleSyncMessage[]> {
  const rows = await createDb(c.env.DB)
    .select({ userId: entityLabels.entityId })
    .from(entityLabels)
    .where(and(eq(entityLabels.labelId, g.labelId), eq(entityLabels.entityType, "user")));
  return rows.map((r) => ({ communityId: g.communityId, groupId: g.id, userId: r.userId }));
}

/** Admin API: entity groups, which map a label to a role on Discord, Slack or Twitch. */
export const entityGroupsRoutes = createApiApp<RouteEnv>();

entityGroupsRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/entity-groups",
    tags: ["labels"],
    summary: "The community's entity groups (label → platform role)",
    permission: "labels:read",
    request: { params: CommunityParams },
    responses: {
      200: { description: "Groups", ...jsonContent(envelopeOf(z.array(EntityGroupSchema))) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const rows = await createDb(c.env.DB)
      .select({ g: entityGroups, label: labels.name })
      .from(entityGroups)
      .innerJoin(labels, eq(labels.id, entityGroups.labelId))
      .where(eq(entityGroups.communityId, communityId))
      .orderBy(asc(labels.normalizedName), asc(entityGroups.platform));
    return ok(
      c,
      rows.map((r) => toApi(r.g, r.label)),
    );
  },
);

entityGroupsRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/entity-groups",
    tags: ["labels"],
    summary: "Map a label to a platform role: its holders get the role now, and whenever they gain the label",
    permission: "labels:write",
    request: { params: CommunityParams, body: { required: true, ...jsonContent(EntityGroupInput) } },
    responses: {
      201: { description: "Created", ...jsonContent(envelopeOf(EntityGroupSchema)) },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const input = c.req.valid("json");
    const db = createDb(c.env.DB);
    const label = repo.findLabel(await repo.allLabels(db, communityId), input.label);
    if (!label) throw new BadRequest(`No label "${input.label}" in this community`);
    const counted = await db
      .select({ n: count() })
      .from(entityGroups)
      .where(eq(entityGroups.communityId, communityId))
      .get();
    if ((counted?.n ?? 0) >= MAX_ENTITY_GROUPS) {
      throw new Conflict(`A community can have at most ${MAX_ENTITY_GROUPS} entity groups`);
    }
    const row = await db
      .insert(entityGroups)
      .values({ communityId, labelId: label.id, platform: input.platform, roleId: input.roleId })
      .onConflictDoNothing()
      .returning()
      .get();
    if (!row) throw new Conflict(`"${label.name}" is already mapped to that ${input.platform} role`);
    await auditLabelChange(
      c,
      communityId,
      "labels.group_create",
      { type: "entity_group", id: row.id },
      {
        to: toApi(row, label.name),
      },
    );
    await enqueueRoleSync(c.env, await holders(c, row));
    return ok(c, toApi(row, label.name), "Entity group created", 201);
  },
);

entityGroupsRoutes.openapi(
  communityRoute({
    method: "delete",
    path: "/{communityId}/entity-groups/{groupId}",
    tags: ["labels"],
    summary: "Delete an entity group: the roles it gave are taken back",
    permission: "labels:write",
    request: { params: GroupParams },
    responses: {
      200: { description: "Deleted", ...jsonContent(envelopeOf(z.object({ id: z.string() }))) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId, groupId } = c.req.valid("param");
    const gone = await createDb(c.env.DB)
      .delete(entityGroups)
      .where(and(eq(entityGroups.communityId, communityId), eq(entityGroups.id, groupId)))
      .returning()
      .get();
    if (!gone) throw new NotFound("No such entity group");
    await auditLabelChange(
      c,
      communityId,
      "labels.group_delete",
      { type: "entity_group", id: groupId },
      {
        from: { labelId: gone.labelId, platform: gone.platform, roleId: gone.roleId },
      },
    );
    // The group is gone, so each holder's sync finds nothing wanted and removes what it recorded.
    await enqueueRoleSync(c.env, await holders(c, gone));
    return ok(c, { id: groupId }, "Entity group deleted");
  },
);
