import { and, eq, isNull } from "drizzle-orm";
import semver from "semver";
import { createDb } from "../../../../lib/db/client.ts";
import { modules, moduleVersions } from "../../../../lib/db/schema/index.ts";
import { BadRequest, Conflict, NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { accountRoute, type RouteEnv } from "../api.ts";
import { auditChange, isUniqueViolation } from "./audit.ts";
import { checkPublisher, checkUrls, ownModule } from "./catalog.guards.ts";
import { searchTextOf, versionValues } from "./catalog.repo.ts";
import { ModuleVersion, NameParams, VersionInput, VersionParams, versionToApi, YankInput } from "./catalog.schema.ts";

/** A module's next versions and yanks (by its author). */
export const versionsRoutes = createApiApp<RouteEnv>();

const versionResponse = { description: "Published", ...jsonContent(envelopeOf(ModuleVersion)) };

versionsRoutes.openapi(
  accountRoute({
    method: "post",
    path: "/modules/{name}/versions",
    tags: ["marketplace"],
    summary: "Publish a new version (higher semver than the latest; versions are immutable)",
    permission: "marketplace:publish",
    request: { params: NameParams, body: { required: true, ...jsonContent(VersionInput) } },
    responses: { 201: versionResponse, ...errorResponses(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const { name } = c.req.valid("param");
    const v = c.req.valid("json");
    const principal = c.get("principal");
    const db = createDb(c.env.DB);
    const m = await ownModule(db, name, principal);
    checkPublisher(principal, v);
    checkUrls(c.env, v, []);
    if (v.engine !== m.engine)
      throw new BadRequest("Invalid input", [
        { path: ["engine"], message: `this module runs on ${m.engine}; the engine cannot change between versions` },
      ]);
    if (!semver.gt(v.version, m.latestVersion!))
      throw new Conflict(`Version ${v.version} is not higher than the latest, ${m.latestVersion}`);
    const meta = { name: m.name, displayName: m.displayName ?? m.name, description: m.description, labels: m.labels };
    try {
      await db.batch([
        db.insert(moduleVersions).values(versionValues(m.id, v)),
        db
          .update(modules)
          .set({ latestVersion: v.version, searchText: searchTextOf(meta, v) })
          .where(eq(modules.id, m.id)),
      ]);
    } catch (err) {
      if (isUniqueViolation(err)) throw new Conflict(`Version ${v.version} already exists`);
      throw err;
    }
    auditChange(c, {
      communityId: null,
      action: "marketplace.version.publish",
      targetType: "module",
      targetId: m.id,
      details: { from: m.latestVersion, to: v.version },
    });
    const row = await db
      .select()
      .from(moduleVersions)
      .where(and(eq(moduleVersions.moduleId, m.id), eq(moduleVersions.version, v.version)))
      .get();
    return ok(c, versionToApi(row!), "Version published", 201);
  },
);

versionsRoutes.openapi(
  accountRoute({
    method: "post",
    path: "/modules/{name}/versions/{version}/yank",
    tags: ["marketplace"],
    summary: "Yank a version: new installs refused, existing ones keep running with a notice",
    permission: "marketplace:publish",
    request: { params: VersionParams, body: { required: false, ...jsonContent(YankInput) } },
    responses: {
      200: { description: "Yanked", ...jsonContent(envelopeOf(ModuleVersion)) },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const { name, version } = c.req.valid("param");
    // The body is optional: without one, zod-openapi validates nothing and the reason is empty.
    const { reason } = YankInput.parse(c.req.valid("json") ?? {});
    const db = createDb(c.env.DB);
    const m = await ownModule(db, name, c.get("principal"));
    const [row] = await db
      .update(moduleVersions)
      .set({ yankedAt: new Date(), yankReason: reason || null })
      .where(
        and(eq(moduleVersions.moduleId, m.id), eq(moduleVersions.version, version), isNull(moduleVersions.yankedAt)),
      )
      .returning();
    if (!row) {
      const exists = await db
        .select({ id: moduleVersions.id })
        .from(moduleVersions)
        .where(and(eq(moduleVersions.moduleId, m.id), eq(moduleVersions.version, version)))
        .get();
      if (!exists) throw new NotFound(`${name} has no version ${version}`);
      throw new Conflict(`${name} ${version} is already yanked`);
    }
    auditChange(c, {
      communityId: null,
      action: "marketplace.version.yank",
      targetType: "module",
      targetId: m.id,
      details: { version, reason },
    });
    return ok(c, versionToApi(row), "Version yanked");
  },
);
