import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { commands, moduleInstallations, moduleSubscriptions } from "../../../../lib/db/schema/index.ts";
import { BadRequest, Conflict, NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import { invalidateRouterConfig } from "../router-config.ts";
import { auditChange, isUniqueViolation } from "./audit.ts";
import { cancelSubscription, startCheckout } from "./billing.ts";
import { findListed } from "./catalog.repo.ts";
import {
  commandConflicts,
  commandRowsFor,
  conflictError,
  findInstallation,
  pickVersion,
} from "./installations.repo.ts";
import { Installation, InstallationParams, InstallInput } from "./installations.schema.ts";
import { installationsView } from "./installations.view.ts";
import { sealSecrets, secretsFor } from "./secrets.ts";
import { checkSettings } from "./settings.schema.ts";

/** Installing marketplace modules in a community; changes are in installations-patch.routes.ts. */
export const installationsRoutes = createApiApp<RouteEnv>();

/** Override keys must name the version's commands (a typo would otherwise be silently dropped). */
export function checkOverrideKeys(commandNames: string[], overrides: Record<string, unknown>) {
  const unknown = Object.keys(overrides).filter((k) => !commandNames.includes(k));
  if (unknown.length)
    throw new BadRequest(
      "Invalid input",
      unknown.map((k) => ({ path: ["commands", k], message: "this version has no such command" })),
    );
}

installationsRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/installations",
    tags: ["marketplace"],
    summary: "The marketplace modules installed in the community",
    permission: "modules:read",
    request: { params: CommunityParams },
    responses: {
      200: { description: "Installations", ...jsonContent(envelopeOf(z.array(Installation))) },
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) => ok(c, await installationsView(c.env, createDb(c.env.DB), c.req.valid("param").communityId)),
);

installationsRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/installations",
    tags: ["marketplace"],
    summary: "Install a marketplace module (a version, its settings, the installation's own secrets)",
    description: "Registers its commands at once. A paid module answers with a Stripe Checkout URL and runs once paid.",
    permission: "modules:write",
    request: { params: CommunityParams, body: { required: true, ...jsonContent(InstallInput) } },
    responses: {
      201: { description: "Installed", ...jsonContent(envelopeOf(Installation)) },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const input = c.req.valid("json");
    const db = createDb(c.env.DB);
    const m = await findListed(db, input.module, communityId);
    if (!m) throw new NotFound(`No marketplace module named ${input.module}`);
    if (await findInstallation(db, communityId, m.id))
      throw new Conflict(`${m.name} is already installed here; change its version with PATCH`);
    const version = await pickVersion(db, m, input.version);
    const settings = checkSettings(version.settingsSchema, input.settings);
    if (!settings.ok) throw new BadRequest("Invalid input", settings.issues);
    const secrets = secretsFor(version.engine, input.secrets);
    if (!secrets.ok) throw new BadRequest("Invalid input", secrets.issues);
    checkOverrideKeys(
      version.commands.map((x) => x.name),
      input.commands,
    );
    const rows = commandRowsFor(communityId, m.id, version, input.commands);
    const conflicts = await commandConflicts(
      db,
      c.env.DB,
      communityId,
      m.id,
      rows as { prefix: "!" | "#"; name: string }[],
    );
    if (conflicts.length) throw conflictError(conflicts);

    const id = crypto.randomUUID();
    const paid = version.priceMonthly > 0;
    // Checkout first: if Stripe fails, nothing was written.
    const checkout = paid
      ? await startCheckout(c.env, {
          installationId: id,
          communityId,
          module: m.name,
          displayName: m.displayName ?? m.name,
          amount: version.priceMonthly,
          currency: version.currency,
        })
      : null;
    try {
      await db.batch([
        db.insert(moduleInstallations).values({
          id,
          communityId,
          moduleId: m.id,
          versionId: version.id,
          settings: settings.values,
          secrets: await sealSecrets(c.env, id, secrets.secrets),
          overrides: input.commands,
        }),
        ...(rows.length ? [db.insert(commands).values(rows)] : []),
        ...(checkout
          ? [db.insert(moduleSubscriptions).values({ installationId: id, checkoutSessionId: checkout.id })]
          : []),
      ]);
    } catch (err) {
      // A command or installation made between the check and the batch: nothing was written.
      if (isUniqueViolation(err))
        throw new Conflict("A command of this module (or the module itself) was added here meanwhile; try again");
      throw err;
    }
    invalidateRouterConfig(communityId);
    auditChange(c, {
      communityId,
      action: "module.install",
      targetType: "module",
      targetId: m.id,
      details: { module: m.name, version: version.version, commands: rows.map((r) => r.prefix + r.name) },
    });
    const [view] = await installationsView(c.env, db, communityId, m.id);
    return ok(
      c,
      {
        ...view!,
        ...(secrets.generated.secret && { webhookSecret: secrets.generated.secret }),
        ...(checkout && { checkoutUrl: checkout.url }),
      },
      paid ? "Installed: complete the Stripe Checkout to start it" : "Installed",
      201,
    );
  },
);

installationsRoutes.openapi(
  communityRoute({
    method: "delete",
    path: "/{communityId}/installations/{module}",
    tags: ["marketplace"],
    summary: "Uninstall a marketplace module: its commands stop at once, its secrets are deleted",
    permission: "modules:write",
    request: { params: InstallationParams },
    responses: {
      200: { description: "Uninstalled", ...jsonContent(envelopeOf(z.null())) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId, module } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const m = await findListed(db, module, communityId);
    const found = m && (await findInstallation(db, communityId, m.id));
    if (!m || !found) throw new NotFound(`${module} is not installed in this community`);
    await db.batch([
      db
        .delete(commands)
        .where(and(eq(commands.communityId, communityId), eq(commands.moduleId, m.id), eq(commands.kind, "module"))),
      db.delete(moduleInstallations).where(eq(moduleInstallations.id, found.installation.id)),
    ]);
    invalidateRouterConfig(communityId);
    const sub = found.subscription?.stripeSubscriptionId;
    if (sub) c.executionCtx.waitUntil(cancelSubscription(c.env, sub));
    auditChange(c, {
      communityId,
      action: "module.uninstall",
      targetType: "module",
      targetId: m.id,
      details: { module, version: found.version.version },
    });
    return ok(c, null, "Uninstalled");
  },
);
