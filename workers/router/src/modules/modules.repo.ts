import { and, asc, eq, isNull, ne, notExists } from "drizzle-orm";
import { MODULE_CONFIG_SECRETS, SEALED_COLUMNS, sealContext } from "../../../../lib/crypto/sealed-columns.ts";
import { openFields, sealFields } from "../../../../lib/crypto/sealed-json.ts";
import type { SecretBoxConfig } from "../../../../lib/crypto/secret-box.ts";
import type { Database } from "../../../../lib/db/client.ts";
import { moduleInstallations, modules } from "../../../../lib/db/schema/index.ts";
import { log } from "../../../../lib/log.ts";
import { ModuleConfigSchema, type ModuleDef } from "./config.ts";

/** Queries for modules and their installations. */
export type ModuleRow = typeof modules.$inferSelect;

/**
 * The community's own modules installed and enabled in it (not yet awaited: batched by the
 * loader). Marketplace installations (with a version) are loaded by marketplace/installed.ts.
 */
export const installedModulesQuery = (db: Database, communityId: string) =>
  db
    .select({ module: modules })
    .from(moduleInstallations)
    .innerJoin(modules, eq(modules.id, moduleInstallations.moduleId))
    .where(
      and(
        eq(moduleInstallations.communityId, communityId),
        eq(moduleInstallations.enabled, true),
        isNull(moduleInstallations.versionId),
      ),
    )
    .orderBy(asc(modules.priority), asc(modules.name));

const CONFIG_COLUMN = SEALED_COLUMNS.find((c) => c.table === "modules" && c.column === "config")!;
/** The sealing context of one module's config secrets (lib/crypto/sealed-json.ts adds `#<field>`). */
const moduleConfigContext = (moduleId: string) => sealContext(CONFIG_COLUMN, moduleId);

/**
 * A row as the router runs it, its secrets opened (they are sealed in D1); a module whose stored
 * config no longer validates, or whose secrets do not open, is skipped (and logged).
 */
export async function toModuleDef(box: SecretBoxConfig, row: ModuleRow): Promise<ModuleDef | null> {
  let config: Record<string, unknown>;
  try {
    config = await openFields(box, row.config, MODULE_CONFIG_SECRETS, moduleConfigContext(row.id));
  } catch (err) {
    log.error("module secrets do not open; module skipped", { moduleId: row.id, error: err });
    return null;
  }
  const parsed = ModuleConfigSchema.safeParse({ engine: row.engine, config });
  if (!parsed.success) {
    log.warn("module config invalid; module skipped", { moduleId: row.id, module: row.name });
    return null;
  }
  return {
    ...parsed.data,
    id: row.id,
    name: row.name,
    commands: row.commands,
    triggers: row.triggers,
    priority: row.priority,
    parallel: row.parallel,
  };
}

export type NewModule = Omit<typeof modules.$inferInsert, "id" | "createdAt" | "updatedAt">;

/**
 * Registers a module (its engine config validated first) and installs it in a community. The
 * config's secrets are sealed before the row is written: D1 never holds them in clear.
 */
export async function createAndInstallModule(
  box: SecretBoxConfig,
  db: Database,
  communityId: string,
  values: NewModule,
): Promise<ModuleRow> {
  ModuleConfigSchema.parse({ engine: values.engine, config: values.config });
  const id = crypto.randomUUID();
  const config = await sealFields(box, values.config, MODULE_CONFIG_SECRETS, moduleConfigContext(id));
  const [rows] = await db.batch([
    db
      .insert(modules)
      .values({ ...values, config, id })
      .returning(),
    db.insert(moduleInstallations).values({ communityId, moduleId: id }),
  ]);
  return rows[0]!;
}

/**
 * Uninstalls a module from a community; returns false when it was not installed there. A
 * community's own module (webhook, Lambda, OpenWhisk) that is now installed nowhere is deleted
 * in the same batch: its config holds the community's secrets (HMAC key, AWS keys, OpenWhisk
 * auth) and nothing could ever use them again. Built-ins are shared rows and stay.
 */
export async function uninstallModule(db: Database, communityId: string, moduleId: string): Promise<boolean> {
  const [deleted] = await db.batch([
    db
      .delete(moduleInstallations)
      .where(and(eq(moduleInstallations.communityId, communityId), eq(moduleInstallations.moduleId, moduleId)))
      .returning({ id: moduleInstallations.id }),
    db
      .delete(modules)
      .where(
        and(
          eq(modules.id, moduleId),
          ne(modules.engine, "builtin"),
          notExists(
            db
              .select({ id: moduleInstallations.id })
              .from(moduleInstallations)
              .where(eq(moduleInstallations.moduleId, moduleId)),
          ),
        ),
      ),
  ]);
  return deleted.length > 0;
}

/** Is the module installed (and enabled) in the community? */
export async function isInstalled(db: Database, communityId: string, moduleId: string): Promise<boolean> {
  const row = await db
    .select({ id: moduleInstallations.id })
    .from(moduleInstallations)
    .where(
      and(
        eq(moduleInstallations.communityId, communityId),
        eq(moduleInstallations.moduleId, moduleId),
        eq(moduleInstallations.enabled, true),
      ),
    )
    .get();
  return row !== undefined;
}
