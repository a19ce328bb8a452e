import { and, eq } from "drizzle-orm";
import { roleAllows } from "../../../../lib/auth/permissions.ts";
import { levelAtLeast } from "../../../../lib/chat/permission-level.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { communityMembers, moduleInstallations } from "../../../../lib/db/schema/index.ts";
import { BadRequest, Forbidden, NotFound, PaymentRequired } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { communityRoute, type RouteEnv } from "../api.ts";
import { invalidateRouterConfig } from "../router-config.ts";
import { auditChange, isUniqueViolation } from "./audit.ts";
import { findListed } from "./catalog.repo.ts";
import {
  commandConflicts,
  commandRowsFor,
  conflictError,
  findInstallation,
  pickVersion,
  replaceCommands,
} from "./installations.repo.ts";
import { checkOverrideKeys } from "./installations.routes.ts";
import {
  CommandParams,
  CommandTune,
  Installation,
  InstallationParams,
  InstallationPatch,
} from "./installations.schema.ts";
import { installationsView } from "./installations.view.ts";
import { PAID_STATUSES } from "./installed.ts";
import { sealSecrets, secretsFor } from "./secrets.ts";
import { checkSettings } from "./settings.schema.ts";

/** Changing an installation: version (upgrade/downgrade), enabled, settings, secrets, per-command overrides. */
export const installationPatchRoutes = createApiApp<RouteEnv>();

const installationResponse = { description: "Changed", ...jsonContent(envelopeOf(Installation)) };

async function load(db: ReturnType<typeof createDb>, communityId: string, module: string) {
  const m = await findListed(db, module, communityId);
  const found = m && (await findInstallation(db, communityId, m.id));
  if (!m || !found) throw new NotFound(`${module} is not installed in this community`);
  return { m, found };
}

installationPatchRoutes.openapi(
  communityRoute({
    method: "patch",
    path: "/{communityId}/installations/{module}",
    tags: ["marketplace"],
    summary: "Upgrade or downgrade, enable or disable, change settings, secrets or command overrides",
    description:
      "A version change swaps the command set in one D1 batch: a command the new version lacks stops answering.",
    permission: "modules:write",
    request: { params: InstallationParams, body: { required: true, ...jsonContent(InstallationPatch) } },
    responses: { 200: installationResponse, ...errorResponses(400, 401, 402, 403, 404, 409) },
  }),
  async (c) => {
    const { communityId, module } = c.req.valid("param");
    const patch = c.req.valid("json");
    const db = createDb(c.env.DB);
    const { m, found } = await load(db, communityId, module);
    const target =
      patch.version && patch.version !== found.version.version
        ? await pickVersion(db, m, patch.version)
        : found.version;
    const paidUp = !!found.subscription && PAID_STATUSES.has(found.subscription.status);
    if (target.priceMonthly > 0 && !paidUp && patch.enabled !== false)
      throw new PaymentRequired(`${m.name} ${target.version} is a paid module and its subscription is not active`);

    // Settings the new version does not know are dropped; the rest is checked against its schema.
    const known = Object.keys((target.settingsSchema as { properties?: object }).properties ?? {});
    const kept = Object.fromEntries(Object.entries(found.installation.settings).filter(([k]) => known.includes(k)));
    const settings = checkSettings(target.settingsSchema, { ...kept, ...patch.settings });
    if (!settings.ok) throw new BadRequest("Invalid input", settings.issues);
    const names = target.commands.map((x) => x.name);
    if (patch.commands) checkOverrideKeys(names, patch.commands);
    const overrides = Object.fromEntries(
      Object.entries({ ...found.installation.overrides, ...patch.commands }).filter(([k]) => names.includes(k)),
    );
    let sealed = found.installation.secrets;
    if (patch.secrets) {
      const s = secretsFor(target.engine, patch.secrets);
      if (!s.ok) throw new BadRequest("Invalid input", s.issues);
      sealed = await sealSecrets(c.env, found.installation.id, s.secrets);
    }
    const rows = commandRowsFor(communityId, m.id, target, overrides);
    const conflicts = await commandConflicts(
      db,
      c.env.DB,
      communityId,
      m.id,
      rows as { prefix: "!" | "#"; name: string }[],
    );
    if (conflicts.length) throw conflictError(conflicts);
    try {
      const { clear, inserts } = replaceCommands(db, communityId, m.id, rows);
      await db.batch([
        clear,
        ...inserts,
        db
          .update(moduleInstallations)
          .set({
            versionId: target.id,
            settings: settings.values,
            overrides,
            secrets: sealed,
            enabled: patch.enabled ?? found.installation.enabled,
          })
          .where(eq(moduleInstallations.id, found.installation.id)),
      ]);
    } catch (err) {
      if (isUniqueViolation(err)) throw conflictError(["a command name was taken meanwhile"]);
      throw err;
    }
    invalidateRouterConfig(communityId);
    auditChange(c, {
      communityId,
      action: "module.configure",
      targetType: "module",
      targetId: m.id,
      details: {
        from: {
          version: found.version.version,
          enabled: found.installation.enabled,
          settings: found.installation.settings,
          overrides: found.installation.overrides,
        },
        to: {
          version: target.version,
          enabled: patch.enabled ?? found.installation.enabled,
          settings: settings.values,
          overrides,
        },
        secretsChanged: !!patch.secrets,
      },
    });
    const [view] = await installationsView(c.env, db, communityId, m.id);
    return ok(c, view!, target.id === found.version.id ? "Updated" : `Now on ${target.version}`);
  },
);

installationPatchRoutes.openapi(
  communityRoute({
    method: "patch",
    path: "/{communityId}/installations/{module}/commands/{command}",
    tags: ["marketplace"],
    summary: "Override one module command's level and cooldowns (moderators: up to their own level)",
    permission: "modules:tune",
    request: { params: CommandParams, body: { required: true, ...jsonContent(CommandTune) } },
    responses: { 200: installationResponse, ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { communityId, module, command } = c.req.valid("param");
    const tune = c.req.valid("json");
    const db = createDb(c.env.DB);
    const { m, found } = await load(db, communityId, module);
    const spec = found.version.commands.find((x) => x.name === command);
    if (!spec) throw new NotFound(`${module} ${found.version.version} has no command ${command}`);
    const old = found.installation.overrides[command] ?? {};
    const principal = c.get("principal");
    const member = await db
      .select({ role: communityMembers.role })
      .from(communityMembers)
      .where(and(eq(communityMembers.communityId, communityId), eq(communityMembers.userId, principal.userId)))
      .get();
    // Below admin (a moderator): neither a command already above their level nor a level above it.
    if (!roleAllows(principal, member?.role ?? null, "modules:write")) {
      const current = old.minLevel ?? spec.minLevel;
      const wanted = tune.minLevel ?? current;
      if (!levelAtLeast("moderator", current) || !levelAtLeast("moderator", wanted))
        throw new Forbidden("A moderator may not set or change a command above the moderator level");
    }
    const overrides = { ...found.installation.overrides, [command]: { ...old, ...tune } };
    const { clear, inserts } = replaceCommands(
      db,
      communityId,
      m.id,
      commandRowsFor(communityId, m.id, found.version, overrides),
    );
    await db.batch([
      clear,
      ...inserts,
      db.update(moduleInstallations).set({ overrides }).where(eq(moduleInstallations.id, found.installation.id)),
    ]);
    invalidateRouterConfig(communityId);
    auditChange(c, {
      communityId,
      action: "module.command.tune",
      targetType: "module",
      targetId: m.id,
      details: { command, from: old, to: overrides[command] },
    });
    const [view] = await installationsView(c.env, db, communityId, m.id);
    return ok(c, view!, "Command updated");
  },
);
