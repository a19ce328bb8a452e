import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { commands, moduleInstallations, modules, moduleVersions } from "../../../../lib/db/schema/index.ts";
import { log } from "../../../../lib/log.ts";
import type { Env } from "../env.ts";
import { toModuleDef } from "../modules/modules.repo.ts";
import { searchTextOf } from "./catalog.repo.ts";
import { commandRowsFor } from "./installations.repo.ts";
import { type InstallSecrets, sealSecrets } from "./secrets.ts";

/** The engine config fields that are the installation's secrets, not the version's. */
const SECRET_KEYS = ["secret", "accessKeyId", "secretAccessKey", "sessionToken", "auth"] as const;

/**
 * Moves each community's own module (the pre-marketplace kind: engine config with its secrets in
 * `modules.config`) onto the marketplace model: a private module (owned by its community, never
 * listed), version 1.0.0 with the public config, and the installation holding its own sealed
 * secrets; the command names become registry rows. `modules.config` is emptied in the same batch,
 * so no secret is left there. Idempotent (only modules without versions are touched) and per
 * module atomic; run by the router's Cron Trigger, so existing modules move on the first run.
 * A module installed in more than one community is left alone (it is then not a community's own).
 */
export async function migrateLegacyModules(env: Env, limit = 50): Promise<number> {
  const db = createDb(env.DB);
  const legacy = await db
    .select()
    .from(modules)
    .where(
      and(
        isNull(modules.latestVersion),
        ne(modules.engine, "builtin"),
        // Only the movable ones, so a module that is not (installed nowhere or in several
        // communities) never holds the batch back run after run.
        sql`(SELECT count(*) FROM module_installations mi WHERE mi.module_id = "modules"."id") = 1`,
      ),
    )
    .limit(limit);
  let moved = 0;
  for (const row of legacy) {
    const installs = await db.select().from(moduleInstallations).where(eq(moduleInstallations.moduleId, row.id));
    const def = toModuleDef(row);
    const only = installs[0];
    if (!def || installs.length !== 1 || !only) continue;
    const full = def.config as Record<string, unknown>;
    const secrets = Object.fromEntries(
      SECRET_KEYS.filter((k) => full[k] !== undefined).map((k) => [k, full[k]]),
    ) as InstallSecrets;
    const publicConfig = Object.fromEntries(
      Object.entries(full).filter(([k]) => !(SECRET_KEYS as readonly string[]).includes(k)),
    );
    const specs = def.commands.map((name) => ({
      name,
      description: `${row.name} module`,
      arguments: [],
      minLevel: "everyone" as const,
      globalCooldownSec: 0,
      userCooldownSec: 0,
    }));
    const versionId = crypto.randomUUID();
    const version = {
      id: versionId,
      moduleId: row.id,
      version: "1.0.0",
      engine: def.engine,
      config: publicConfig,
      commands: specs,
      events: def.triggers,
      settingsSchema: { type: "object", properties: {}, required: [] },
      priority: def.priority,
      parallel: def.parallel,
    };
    // A community row may already override one of these commands: it is kept (DO NOTHING).
    const rows = commandRowsFor(only.communityId, row.id, { engine: def.engine, commands: specs }, {});
    await db.batch([
      db.insert(moduleVersions).values(version),
      db
        .update(moduleInstallations)
        .set({ versionId, secrets: await sealSecrets(env, only.id, secrets) })
        .where(eq(moduleInstallations.id, only.id)),
      ...rows.map((r) => db.insert(commands).values(r).onConflictDoNothing()),
      db
        .update(modules)
        .set({
          config: {},
          commands: [],
          triggers: [],
          latestVersion: "1.0.0",
          ownerCommunityId: only.communityId,
          displayName: row.name,
          searchText: searchTextOf({ name: row.name, displayName: row.name, description: "", labels: [] }, {
            commands: specs,
          } as never),
        })
        .where(and(eq(modules.id, row.id), isNull(modules.latestVersion))),
    ]);
    moved++;
  }
  if (moved) log.info("community modules moved onto versions and installations", { moved });
  return moved;
}
