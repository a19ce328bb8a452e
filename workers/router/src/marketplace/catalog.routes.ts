import { inArray } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { modules, moduleVersions, users } from "../../../../lib/db/schema/index.ts";
import { Conflict } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { accountRoute, type RouteEnv } from "../api.ts";
import { auditChange, isUniqueViolation } from "./audit.ts";
import { checkPublisher, checkUrls, moduleDetail } from "./catalog.guards.ts";
import { findModule, searchCatalog, searchTextOf, versionValues } from "./catalog.repo.ts";
import { CatalogDetail, CatalogPage, CatalogQuery, entryToApi, NameParams } from "./catalog.schema.ts";
import { ModuleManifest } from "./manifest.schema.ts";

/** The marketplace catalogue: publish a module, browse and search, a module's page. Versions: versions.routes.ts. */
export const catalogRoutes = createApiApp<RouteEnv>();

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
    return ok(c, await moduleDetail(c.env, meta.name), "Module published", 201);
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
  async (c) => ok(c, await moduleDetail(c.env, c.req.valid("param").name)),
);
