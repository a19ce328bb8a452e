import { and, eq } from "drizzle-orm";
import semver from "semver";
import type { Database } from "../../../../lib/db/client.ts";
import {
  type CommandOverride,
  commands,
  type ModuleCommandSpec,
  moduleInstallations,
  moduleSubscriptions,
  moduleVersions,
} from "../../../../lib/db/schema/index.ts";
import { Conflict, NotFound } from "../../../../lib/http/errors.ts";
import { prefixForEngine } from "../modules/config.ts";
import { type ConfigEnv, loadRouterConfig } from "../router-config.ts";
import type { CatalogModule, VersionRow } from "./catalog.repo.ts";

/**
 * The version to install: the one named, or the highest that is not yanked. A yanked version
 * is refused for new installs, upgrades and downgrades (installs already on it keep running).
 */
export async function pickVersion(db: Database, m: CatalogModule, wanted?: string): Promise<VersionRow> {
  const versions = await db.select().from(moduleVersions).where(eq(moduleVersions.moduleId, m.id));
  if (wanted) {
    const v = versions.find((x) => x.version === wanted);
    if (!v) throw new NotFound(`${m.name} has no version ${wanted}`);
    if (v.yankedAt)
      throw new Conflict(
        `${m.name} ${wanted} was yanked${v.yankReason ? `: ${v.yankReason}` : ""}; pick another version`,
      );
    return v;
  }
  const live = versions.filter((v) => !v.yankedAt).sort((a, b) => semver.rcompare(a.version, b.version));
  if (!live[0]) throw new Conflict(`Every version of ${m.name} is yanked`);
  return live[0];
}

/** The command rows an installation registers: the version's commands with the community's overrides. */
export function commandRowsFor(
  communityId: string,
  moduleId: string,
  version: Pick<VersionRow, "engine" | "commands">,
  overrides: Record<string, CommandOverride>,
): (typeof commands.$inferInsert)[] {
  const prefix = prefixForEngine(version.engine);
  return version.commands.map((spec: ModuleCommandSpec) => {
    const o = overrides[spec.name] ?? {};
    return {
      communityId,
      prefix,
      name: o.alias ?? spec.name,
      kind: "module" as const,
      moduleId,
      description: spec.description,
      minLevel: o.minLevel ?? spec.minLevel,
      globalCooldownSec: o.globalCooldownSec ?? spec.globalCooldownSec,
      userCooldownSec: o.userCooldownSec ?? spec.userCooldownSec,
    };
  });
}

/**
 * The commands among `rows` that the community already has from something else (a built-in,
 * a custom or global command, another module), described for a 409. Read from the registry the
 * router answers from, loaded fresh, plus the stored rows (a disabled module's too).
 */
export async function commandConflicts(
  db: Database,
  env: ConfigEnv,
  communityId: string,
  moduleId: string,
  rows: { prefix: "!" | "#"; name: string }[],
): Promise<string[]> {
  const table = (await loadRouterConfig(env, communityId)).commands;
  const stored = await db
    .select({ prefix: commands.prefix, name: commands.name, moduleId: commands.moduleId, kind: commands.kind })
    .from(commands)
    .where(eq(commands.communityId, communityId));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of rows) {
    const key = r.prefix + r.name;
    if (seen.has(key)) out.push(`${key} is given twice`);
    seen.add(key);
    const live = table.get(key);
    const row = stored.find((s) => s.prefix === r.prefix && s.name === r.name);
    if (live && live.module?.id !== moduleId) {
      const what =
        live.source === "builtin"
          ? "a built-in command"
          : live.kind === "module"
            ? `the ${live.module?.name} module`
            : "a custom command";
      out.push(`${key} is already ${what}`);
    } else if (row && row.moduleId !== moduleId) {
      out.push(`${key} is already ${row.kind === "module" ? "another module's command" : "a custom command"}`);
    }
  }
  return out;
}

/** 409 naming every conflict, with the way out (an alias). */
export function conflictError(conflicts: string[]): Conflict {
  return new Conflict(
    `Command name conflict: ${conflicts.join("; ")}. Choose an alias for the module's command (commands.<name>.alias).`,
  );
}

/** Statements that swap an installation's command set (one batch with the installation update). */
export function replaceCommands(
  db: Database,
  communityId: string,
  moduleId: string,
  rows: (typeof commands.$inferInsert)[],
) {
  const clear = db
    .delete(commands)
    .where(and(eq(commands.communityId, communityId), eq(commands.moduleId, moduleId), eq(commands.kind, "module")));
  return { clear, inserts: rows.length ? [db.insert(commands).values(rows)] : [] };
}

export async function findInstallation(db: Database, communityId: string, moduleId: string) {
  const row = await db
    .select({ installation: moduleInstallations, version: moduleVersions, subscription: moduleSubscriptions })
    .from(moduleInstallations)
    .innerJoin(moduleVersions, eq(moduleVersions.id, moduleInstallations.versionId))
    .leftJoin(moduleSubscriptions, eq(moduleSubscriptions.installationId, moduleInstallations.id))
    .where(and(eq(moduleInstallations.communityId, communityId), eq(moduleInstallations.moduleId, moduleId)))
    .get();
  return row ?? null;
}
