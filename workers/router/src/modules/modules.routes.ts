import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { MODULE_CONFIG_SECRETS } from "../../../../lib/crypto/sealed-columns.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { moduleInstallations, modules } from "../../../../lib/db/schema/index.ts";
import { EVENT_TYPES } from "../../../../lib/events/chat-event.ts";
import { BadRequest, Conflict, NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { outboundPolicy, outboundUrlIssues } from "../../../../lib/outbound/url-guard.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import { invalidateRouterConfig } from "../router-config.ts";
import { engineUrls, LambdaConfig, OpenWhiskConfig, WebhookConfig } from "./config.ts";
import { createAndInstallModule, type ModuleRow, uninstallModule } from "./modules.repo.ts";

const CommandName = z.string().regex(/^[a-z0-9_-]{1,32}$/, "1–32 of a-z 0-9 _ -");

/** A module a community brings itself: its own webhook or serverless function. */
const ModuleInput = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{1,47}$/, "2–48 of a-z 0-9 _ -, starting with a letter or digit"),
    commands: z.array(CommandName).max(20).default([]),
    triggers: z.array(z.enum(EVENT_TYPES)).max(20).default([]),
    priority: z.number().int().min(0).max(1000).default(100),
    parallel: z.boolean().default(false),
  })
  .and(
    z.discriminatedUnion("engine", [
      z.object({ engine: z.literal("webhook"), config: WebhookConfig }),
      z.object({ engine: z.literal("lambda"), config: LambdaConfig }),
      z.object({ engine: z.literal("openwhisk"), config: OpenWhiskConfig }),
    ]),
  )
  .openapi("ModuleInput");

const Module = z
  .object({
    id: z.string(),
    name: z.string(),
    engine: z.string(),
    commands: z.array(z.string()),
    triggers: z.array(z.string()),
    priority: z.number(),
    parallel: z.boolean(),
    /** The engine config with every secret replaced by "[set]". */
    config: z.record(z.string(), z.unknown()),
    enabled: z.boolean(),
  })
  .openapi("Module");

const SECRET_FIELDS: ReadonlySet<string> = new Set(MODULE_CONFIG_SECRETS);

/** What the API shows of a module: secrets are never returned, only that they are set. */
function toApi(row: ModuleRow, enabled = true) {
  const config = Object.fromEntries(
    Object.entries(row.config).map(([k, v]) => [k, SECRET_FIELDS.has(k) && v ? "[set]" : v]),
  );
  const { id, name, engine, commands, triggers, priority, parallel } = row;
  return { id, name, engine, commands, triggers, priority, parallel, config, enabled };
}

/** Admin API: the modules installed in a community (webhook, Lambda, OpenWhisk). */
export const modulesRoutes = createApiApp<RouteEnv>();

modulesRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/modules",
    tags: ["modules"],
    summary: "The modules installed in the community (secrets hidden)",
    permission: "modules:read",
    request: { params: CommunityParams },
    responses: {
      200: { description: "Modules", ...jsonContent(envelopeOf(z.array(Module))) },
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const rows = await createDb(c.env.DB)
      .select({ module: modules, enabled: moduleInstallations.enabled })
      .from(moduleInstallations)
      .innerJoin(modules, eq(modules.id, moduleInstallations.moduleId))
      .where(eq(moduleInstallations.communityId, communityId));
    return ok(
      c,
      rows.map((r) => toApi(r.module, r.enabled)),
    );
  },
);

modulesRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/modules",
    tags: ["modules"],
    summary: "Register the community's own module (webhook, Lambda or OpenWhisk) and install it",
    permission: "modules:write",
    request: { params: CommunityParams, body: { required: true, ...jsonContent(ModuleInput) } },
    responses: {
      201: { description: "Installed", ...jsonContent(envelopeOf(Module)) },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const input = c.req.valid("json");
    // Checked here and again on every call (the setting may change between the two).
    const refused = outboundUrlIssues(outboundPolicy(c.env), engineUrls(input));
    if (refused.length) throw new BadRequest("Invalid input", refused);
    const db = createDb(c.env.DB);
    const taken = await db.select({ id: modules.id }).from(modules).where(eq(modules.name, input.name)).get();
    if (taken) throw new Conflict(`A module named ${input.name} already exists`);
    const row = await createAndInstallModule(c.env, db, communityId, input);
    invalidateRouterConfig(communityId);
    return ok(c, toApi(row), "Module installed", 201);
  },
);

modulesRoutes.openapi(
  communityRoute({
    method: "delete",
    path: "/{communityId}/modules/{moduleId}",
    tags: ["modules"],
    summary: "Uninstall a module from the community",
    permission: "modules:write",
    request: { params: CommunityParams.extend({ moduleId: z.uuid() }) },
    responses: {
      200: { description: "Uninstalled", ...jsonContent(envelopeOf(z.null())) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId, moduleId } = c.req.valid("param");
    if (!(await uninstallModule(createDb(c.env.DB), communityId, moduleId)))
      throw new NotFound("That module is not installed in this community");
    invalidateRouterConfig(communityId);
    return ok(c, null, "Module uninstalled");
  },
);
