import type { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import type { Database } from "../../../../lib/db/client.ts";
import {
  commands,
  moduleInstallations,
  moduleSubscriptions,
  modules,
  moduleVersions,
} from "../../../../lib/db/schema/index.ts";
import type { Env } from "../env.ts";
import type { Installation } from "./installations.schema.ts";
import { openSecrets } from "./secrets.ts";

/** A community's marketplace installations as the API shows them (secrets: only which are set). */
export async function installationsView(
  env: Env,
  db: Database,
  communityId: string,
  moduleId?: string,
): Promise<z.infer<typeof Installation>[]> {
  const where = [eq(moduleInstallations.communityId, communityId)];
  if (moduleId) where.push(eq(moduleInstallations.moduleId, moduleId));
  // Not one db.batch: drizzle maps batched rows by column name, and these joined tables share names.
  const [rows, cmdRows] = await Promise.all([
    db
      .select({
        installation: moduleInstallations,
        module: modules,
        version: moduleVersions,
        subscription: moduleSubscriptions,
      })
      .from(moduleInstallations)
      .innerJoin(modules, eq(modules.id, moduleInstallations.moduleId))
      .innerJoin(moduleVersions, eq(moduleVersions.id, moduleInstallations.versionId))
      .leftJoin(moduleSubscriptions, eq(moduleSubscriptions.installationId, moduleInstallations.id))
      .where(and(...where)),
    db
      .select()
      .from(commands)
      .where(and(eq(commands.communityId, communityId), eq(commands.kind, "module"))),
  ]);
  return Promise.all(
    rows.map(async (r) => {
      const secrets = await openSecrets(env, r.installation.id, r.installation.secrets).catch(() => ({}));
      const aliasOf = new Map(Object.entries(r.installation.overrides).map(([cmd, o]) => [o.alias ?? cmd, cmd]));
      const v = r.version;
      return {
        id: r.installation.id,
        module: r.module.name,
        displayName: r.module.displayName ?? r.module.name,
        version: v.version,
        latestVersion: r.module.latestVersion ?? v.version,
        enabled: r.installation.enabled,
        settings: r.installation.settings,
        secretsSet: Object.keys(secrets).sort(),
        commands: cmdRows
          .filter((c) => c.moduleId === r.module.id)
          .map((c) => ({
            command: aliasOf.get(c.name) ?? c.name,
            name: c.name,
            prefix: c.prefix,
            minLevel: c.minLevel,
            globalCooldownSec: c.globalCooldownSec,
            userCooldownSec: c.userCooldownSec,
          })),
        notice: v.yankedAt
          ? `Version ${v.version} was yanked by its author${v.yankReason ? ` (${v.yankReason})` : ""}: it keeps running; upgrade or downgrade to another version.`
          : null,
        subscription: r.subscription
          ? { status: r.subscription.status, currentPeriodEnd: r.subscription.currentPeriodEnd?.toISOString() ?? null }
          : null,
      };
    }),
  );
}
