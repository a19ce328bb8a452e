import type { z } from "@hono/zod-openapi";
import { and, eq, inArray, isNull } from "drizzle-orm";
import semver from "semver";
import type { Principal } from "../../../../lib/auth/permissions.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { modules, moduleVersions, users } from "../../../../lib/db/schema/index.ts";
import { BadRequest, Conflict, Forbidden, NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { outboundPolicy, outboundUrlIssues } from "../../../../lib/outbound/url-guard.ts";
import { accountRoute, type RouteEnv } from "../api.ts";
import { BUILTINS } from "../commands/builtins.ts";
import type { Env } from "../env.ts";
import { engineUrls } from "../modules/config.ts";
import { auditChange, isUniqueViolation } from "./audit.ts";
import {
  bySemverDesc,
  findListed,
  findModule,
  moduleStats,
  searchCatalog,
  searchTextOf,
  versionsOf,
  versionValues,
} from "./catalog.repo.ts";
import {
  CatalogDetail,
  CatalogPage,
  CatalogQuery,
  entryToApi,
  ModuleVersion,
  NameParams,
  VersionInput,
  VersionParams,
  versionToApi,
  YankInput,
} from "./catalog.schema.ts";
import { ModuleManifest, type VersionManifest } from "./manifest.schema.ts";

/** The marketplace catalogue: publish modules and versions, browse, yank. */
export const catalogRoutes = createApiApp<RouteEnv>();

/**
 * Who may publish: a person whose account has an email address (portal accounts get one only
 * through an emailed invite, a reset link or the instance owner's setting, so it is proven) or a
 * service account. First-party (`builtin`) modules only from an instance admin or a core service.
 */
function checkPublisher(p: Principal, v: VersionManifest) {
  if (!p.serviceRole && !p.email) throw new Forbidden("Publishing needs an account with a verified email address");
  if (v.engine === "builtin") {
    if (!(p.serviceRole === "core" || (p.globalRole === "admin" && !p.serviceRole)))
      throw new Forbidden("Only the instance (an admin or a core service) publishes builtin modules");
    if (!BUILTINS[v.config.handler])
      throw new BadRequest("Invalid input", [{ path: ["version", "config", "handler"], message: "no such built-in" }]);
  }
}

/** The engine URL must pass the outbound guard now (it is checked again on every call). */
function checkUrls(env: Env, v: VersionManifest, at: string[]) {
  const refused = outboundUrlIssues(
    outboundPolicy(env),
    engineUrls({ ...v, config: v.config } as never).map(([p, u]) => [[...at, ...p], u]),
  );
  if (refused.length) throw new BadRequest("Invalid input", refused);
}

const versionResponse = { description: "Published", ...jsonContent(envelopeOf(ModuleVersion)) };

catalogRoutes.openapi(
  accountRoute({
    method: "post",
    path: "/modules",
    tags: ["marketplace"],
    summary: "Publish a new module with its first version",
    permission: "marketplace:publish",
    request: { body: { required: true, ...jsonContent(ModuleManifest) } },
    responses: {
      201: { description: "Published", ...jsonContent(envelopeOf(CatalogDetail)) },
      ...errorResponses(400, 401, 403, 409),
    },
  }),
  async (c) => {
    const input = c.req.valid("json");
    const principal = c.get("principal");
    checkPublisher(principal, input.version);
    checkUrls(c.env, input.version, ["version"]);
    const db = createDb(c.env.DB);
    if (await findModule(db, input.name)) throw new Conflict(`A module named ${input.name} already exists`);
    const id = crypto.randomUUID();
    const { version, ...meta } = input;
    try {
      await db.batch([
        db.insert(modules).values({
          id,
          name: meta.name,
          engine: version.engine,
          config: {},
          authorId: principal.userId,
          displayName: meta.displayName,
          description: meta.description,
          categories: meta.categories,
          labels: meta.labels,
          homepage: meta.homepage ?? null,
          iconUrl: meta.iconUrl ?? null,
          latestVersion: version.version,
          searchText: searchTextOf(meta, version),
        }),
        db.insert(moduleVersions).values(versionValues(id, version)),
      ]);
    } catch (err) {
      if (isUniqueViolation(err)) throw new Conflict(`A module named ${input.name} already exists`);
      throw err;
    }
    auditChange(c, {
      communityId: null,
      action: "marketplace.module.publish",
      targetType: "module",
      targetId: id,
      details: { name: meta.name, version: version.version },
    });
    return ok(c, await detail(c.env, meta.name), "Module published", 201);
  },
);

catalogRoutes.openapi(
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

catalogRoutes.openapi(
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
    const { reason } = YankInput.parse((await c.req.json().catch(() => ({}))) ?? {});
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

catalogRoutes.openapi(
  accountRoute({
    method: "get",
    path: "/modules",
    tags: ["marketplace"],
    summary: "Search the marketplace (q over name, description, commands and labels; category; label)",
    permission: "marketplace:read",
    request: { query: CatalogQuery },
    responses: {
      200: { description: "Modules", ...jsonContent(envelopeOf(CatalogPage)) },
      ...errorResponses(400, 401),
    },
  }),
  async (c) => {
    const query = c.req.valid("query");
    const db = createDb(c.env.DB);
    const authorId = query.mine === "true" ? c.get("principal").userId : undefined;
    const { rows, hasMore } = await searchCatalog(db, { ...query, authorId });
    const authorIds = [...new Set(rows.map((r) => r.module.authorId).filter((a): a is string => !!a))];
    const authors = authorIds.length
      ? await db
          .select({ id: users.id, displayName: users.displayName })
          .from(users)
          .where(inArray(users.id, authorIds))
      : [];
    const byId = new Map(authors.map((a) => [a.id, a]));
    const items = rows.map((r) => entryToApi(r.module, r, byId.get(r.module.authorId ?? "") ?? null));
    return ok(c, { items, page: query.page, hasMore });
  },
);

catalogRoutes.openapi(
  accountRoute({
    method: "get",
    path: "/modules/{name}",
    tags: ["marketplace"],
    summary: "A marketplace module: versions (newest first), ratings, install count",
    permission: "marketplace:read",
    request: { params: NameParams },
    responses: {
      200: { description: "Module", ...jsonContent(envelopeOf(CatalogDetail)) },
      ...errorResponses(400, 401, 404),
    },
  }),
  async (c) => ok(c, await detail(c.env, c.req.valid("param").name)),
);

/** The module if the caller may publish to it (its author, or an instance admin). */
export async function ownModule(db: ReturnType<typeof createDb>, name: string, p: Principal) {
  const m = await findListed(db, name);
  if (!m) throw new NotFound(`No marketplace module named ${name}`);
  const admin = p.globalRole === "admin" && !p.serviceRole;
  if (m.authorId !== p.userId && !admin) throw new Forbidden("Only the module's author may do that");
  return m;
}

async function detail(env: Env, name: string): Promise<z.infer<typeof CatalogDetail>> {
  const db = createDb(env.DB);
  const m = await findListed(db, name);
  if (!m) throw new NotFound(`No marketplace module named ${name}`);
  const [versions, stats, author] = await Promise.all([
    versionsOf(db, m.id),
    moduleStats(db, m.id),
    m.authorId
      ? db.select({ id: users.id, displayName: users.displayName }).from(users).where(eq(users.id, m.authorId)).get()
      : undefined,
  ]);
  const entry = entryToApi(m, stats ?? { installs: 0, rating: null, reviews: 0 }, author ?? null);
  return { ...entry, versions: bySemverDesc(versions).map(versionToApi) };
}
