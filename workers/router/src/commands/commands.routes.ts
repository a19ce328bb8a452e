import { z } from "@hono/zod-openapi";
import { createDb, type Database } from "../../../../lib/db/client.ts";
import { BadRequest, Conflict, NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { patchOf } from "../../../../lib/http/patch.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import { auditChange } from "../audit-change.ts";
import { isInstalled } from "../modules/modules.repo.ts";
import { invalidateRouterConfig } from "../router-config.ts";
import { workflowTriggerCommand } from "../workflows/routing.ts";
import * as repo from "./commands.repo.ts";
import {
  CommandFields,
  CommandInput,
  type CommandInputValue,
  CommandParams,
  CommandSchema,
} from "./commands.schema.ts";

const toApi = (r: repo.CommandRow) => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const CommandPatch = patchOf(CommandFields).openapi("CommandPatch");

/** Refuses a command that would clash with another or points at a module the community lacks. */
async function checkCommand(db: Database, communityId: string, input: CommandInputValue, selfId?: string) {
  const clash = await repo.findCommandByName(db, communityId, input.prefix, input.name);
  if (clash && clash.id !== selfId) throw new Conflict(`${input.prefix}${input.name} already exists in this community`);
  if (input.prefix === "!" && (await workflowTriggerCommand(db, communityId, input.name))) {
    throw new Conflict(`!${input.name} already exists in this community (a workflow's trigger)`);
  }
  if (input.moduleId && !(await isInstalled(db, communityId, input.moduleId))) {
    throw new BadRequest("That module is not installed in this community");
  }
}

/** Admin API: the community's command registry (a community command overrides a global one of the same name). */
/** A command's audit entry: named as chat sees it (`!so`). */
const commandChange = (
  action: string,
  row: { id: string; prefix: string; name: string },
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
) => ({ action, targetType: "command", targetId: row.id, name: `${row.prefix}${row.name}`, before, after });

export const commandsRoutes = createApiApp<RouteEnv>();

commandsRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/commands",
    tags: ["commands"],
    summary: "The community's own commands",
    permission: "commands:read",
    request: { params: CommunityParams },
    responses: {
      200: { description: "Commands", ...jsonContent(envelopeOf(z.array(CommandSchema))) },
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    return ok(c, (await repo.listCommunityCommands(createDb(c.env.DB), communityId)).map(toApi));
  },
);

commandsRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/commands",
    tags: ["commands"],
    summary: "Create a command (text templates are validated here)",
    permission: "commands:write",
    request: { params: CommunityParams, body: { required: true, ...jsonContent(CommandInput) } },
    responses: {
      201: { description: "Created", ...jsonContent(envelopeOf(CommandSchema)) },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const input = c.req.valid("json");
    const db = createDb(c.env.DB);
    await checkCommand(db, communityId, input);
    const row = await repo.insertCommand(db, { ...input, communityId, response: input.response ?? null });
    invalidateRouterConfig(communityId);
    await auditChange(c, communityId, commandChange("command.create", row, null, row));
    return ok(c, toApi(row), "Command created", 201);
  },
);

commandsRoutes.openapi(
  communityRoute({
    method: "patch",
    path: "/{communityId}/commands/{commandId}",
    tags: ["commands"],
    summary: "Change a command (the result is validated as a whole)",
    permission: "commands:write",
    request: { params: CommandParams, body: { required: true, ...jsonContent(CommandPatch) } },
    responses: {
      200: { description: "Updated", ...jsonContent(envelopeOf(CommandSchema)) },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const { communityId, commandId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const existing = await repo.getCommand(db, communityId, commandId);
    if (!existing) throw new NotFound("No such command");
    // The validated body: unknown fields are gone, and fields left out keep their stored value.
    const merged = CommandInput.safeParse({ ...existing, ...c.req.valid("json") });
    if (!merged.success) throw new BadRequest("Invalid input", merged.error.issues);
    await checkCommand(db, communityId, merged.data, commandId);
    const row = await repo.updateCommand(db, communityId, commandId, {
      ...merged.data,
      response: merged.data.response ?? null,
      moduleId: merged.data.moduleId ?? null,
    });
    invalidateRouterConfig(communityId);
    await auditChange(c, communityId, commandChange("command.update", row!, existing, row!));
    return ok(c, toApi(row!), "Command updated");
  },
);

commandsRoutes.openapi(
  communityRoute({
    method: "delete",
    path: "/{communityId}/commands/{commandId}",
    tags: ["commands"],
    summary: "Delete a command",
    permission: "commands:write",
    request: { params: CommandParams },
    responses: {
      200: { description: "Deleted", ...jsonContent(envelopeOf(z.object({ id: z.string() }))) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId, commandId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const existing = await repo.getCommand(db, communityId, commandId);
    const gone = existing && (await repo.deleteCommand(db, communityId, commandId));
    if (!gone) throw new NotFound("No such command");
    invalidateRouterConfig(communityId);
    await auditChange(c, communityId, commandChange("command.delete", existing, existing, null));
    return ok(c, gone, "Command deleted");
  },
);
