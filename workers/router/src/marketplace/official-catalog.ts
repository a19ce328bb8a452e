import { eq } from "drizzle-orm";
import semver from "semver";
import type { Database } from "../../../../lib/db/client.ts";
import { modules, moduleVersions } from "../../../../lib/db/schema/index.ts";
import { log } from "../../../../lib/log.ts";
import { searchTextOf, versionValues } from "./catalog.repo.ts";
import { ModuleManifest } from "./manifest.schema.ts";

/**
 * Writes the official modules into the catalogue: a module row (no author) and each version not
 * there yet (versions are immutable; a new manifest version is a new row and becomes latest). A
 * name already taken by someone else's module is left alone and logged.
 */
export async function upsertOfficialModules(db: Database, manifests: unknown[]): Promise<string[]> {
  const names: string[] = [];
  for (const raw of manifests) {
    const m = ModuleManifest.parse(raw);
    const values = {
      name: m.name,
      engine: "builtin" as const,
      config: m.version.config as Record<string, unknown>,
      authorId: null,
      displayName: m.displayName,
      description: m.description,
      categories: m.categories,
      labels: m.labels,
      latestVersion: m.version.version,
      searchText: searchTextOf(m, m.version),
    };
    await db.insert(modules).values(values).onConflictDoNothing();
    const row = await db.select().from(modules).where(eq(modules.name, m.name)).get();
    if (!row || row.authorId !== null || row.engine !== "builtin") {
      log.warn("official module name taken by another module", { name: m.name });
      continue;
    }
    await db.insert(moduleVersions).values(versionValues(row.id, m.version)).onConflictDoNothing();
    if (!row.latestVersion || semver.gt(m.version.version, row.latestVersion))
      await db.update(modules).set(values).where(eq(modules.id, row.id));
    names.push(m.name);
  }
  return names;
}
