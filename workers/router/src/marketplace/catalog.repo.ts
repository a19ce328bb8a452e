import { and, asc, desc, eq, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import semver from "semver";
import type { Database } from "../../../../lib/db/client.ts";
import { modules, moduleVersions } from "../../../../lib/db/schema/index.ts";
import type { ModuleManifest, VersionManifest } from "./manifest.schema.ts";

export type CatalogModule = typeof modules.$inferSelect;
export type VersionRow = typeof moduleVersions.$inferSelect;

/** The words the marketplace search matches (one lowercase column; see `modules.searchText`). */
export function searchTextOf(
  m: Pick<ModuleManifest, "name" | "displayName" | "description" | "labels">,
  v: VersionManifest,
) {
  return [m.name, m.displayName, m.description, ...m.labels, ...v.commands.flatMap((c) => [c.name, c.description])]
    .join(" ")
    .toLowerCase();
}

/** A version's row from its manifest (the engine config holds no secret: the schema has none). */
export function versionValues(moduleId: string, v: VersionManifest): typeof moduleVersions.$inferInsert {
  return {
    moduleId,
    version: v.version,
    engine: v.engine,
    config: v.config as Record<string, unknown>,
    commands: v.commands,
    events: v.events,
    settingsSchema: v.settings,
    permissions: v.permissions,
    priceMonthly: v.price.type === "monthly" ? v.price.amount : 0,
    currency: v.price.type === "monthly" ? v.price.currency : "usd",
    priority: v.priority,
    parallel: v.parallel,
  };
}

export const findModule = (db: Database, name: string) => db.select().from(modules).where(eq(modules.name, name)).get();

/**
 * A marketplace module by name: null for a community's own (legacy) module, and for a private
 * module unless `communityId` is the community that owns it.
 */
export async function findListed(db: Database, name: string, communityId?: string): Promise<CatalogModule | null> {
  const m = await findModule(db, name);
  if (!m?.latestVersion) return null;
  return !m.ownerCommunityId || m.ownerCommunityId === communityId ? m : null;
}

export const versionsOf = (db: Database, moduleId: string) =>
  db.select().from(moduleVersions).where(eq(moduleVersions.moduleId, moduleId)).orderBy(desc(moduleVersions.createdAt));

/** Versions newest first by semver (creation order can differ only by a race). */
export const bySemverDesc = (vs: VersionRow[]) => [...vs].sort((a, b) => semver.rcompare(a.version, b.version));

// Written out in SQL: drizzle leaves columns unqualified in a one-table select, so an
// interpolated `modules.id` inside these subqueries would resolve to the subquery's own `id`.
const installCount = sql<number>`(SELECT count(*) FROM module_installations mi WHERE mi.module_id = "modules"."id")`;
const ratingAvg = sql<
  number | null
>`(SELECT avg(mr.rating) FROM module_reviews mr WHERE mr.module_id = "modules"."id")`;
const ratingCount = sql<number>`(SELECT count(*) FROM module_reviews mr WHERE mr.module_id = "modules"."id")`;

/** Escapes LIKE's wildcards in a user's search word. */
const likeWord = (w: string) => `%${w.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

interface CatalogQuery {
  q?: string;
  category?: string;
  label?: string;
  sort: "name" | "rating" | "installs" | "newest";
  page: number;
  pageSize: number;
  /** Only this author's modules. */
  authorId?: string;
}

/**
 * The marketplace search: every word of `q` must appear in the module's search text (name,
 * display name, description, labels, command names and descriptions); `category` matches the
 * category or any below it (`games` finds `games/trivia`); `label` an exact label.
 */
export async function searchCatalog(db: Database, query: CatalogQuery) {
  const where: SQL[] = [isNotNull(modules.latestVersion), isNull(modules.ownerCommunityId)];
  for (const w of (query.q ?? "").toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8))
    where.push(sql`${modules.searchText} LIKE ${likeWord(w)} ESCAPE '\\'`);
  if (query.category)
    where.push(
      sql`EXISTS (SELECT 1 FROM json_each(${modules.categories}) WHERE value = ${query.category} OR value LIKE ${`${query.category.replace(/[\\%_]/g, (ch) => `\\${ch}`)}/%`} ESCAPE '\\')`,
    );
  if (query.authorId) where.push(eq(modules.authorId, query.authorId));
  if (query.label) where.push(sql`EXISTS (SELECT 1 FROM json_each(${modules.labels}) WHERE value = ${query.label})`);
  const order = {
    name: [asc(modules.name)],
    rating: [desc(ratingAvg), asc(modules.name)],
    installs: [desc(installCount), asc(modules.name)],
    newest: [desc(modules.createdAt)],
  }[query.sort];
  const rows = await db
    .select({ module: modules, installs: installCount, rating: ratingAvg, reviews: ratingCount })
    .from(modules)
    .where(and(...where))
    .orderBy(...order)
    .limit(query.pageSize + 1)
    .offset((query.page - 1) * query.pageSize);
  return { rows: rows.slice(0, query.pageSize), hasMore: rows.length > query.pageSize };
}

/** Installs, average rating and review count of one module. */
export const moduleStats = (db: Database, moduleId: string) =>
  db
    .select({ installs: installCount, rating: ratingAvg, reviews: ratingCount })
    .from(modules)
    .where(eq(modules.id, moduleId))
    .get();
