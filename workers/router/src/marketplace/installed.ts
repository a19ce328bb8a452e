import { and, asc, eq, isNotNull } from "drizzle-orm";
import type { Database } from "../../../../lib/db/client.ts";
import {
  moduleInstallations,
  moduleSubscriptions,
  modules,
  moduleVersions,
  type SubscriptionStatus,
} from "../../../../lib/db/schema/index.ts";
import type { ModuleDef } from "../modules/config.ts";

/** Subscription states in which a paid module runs (Stripe's names). */
export const PAID_STATUSES: ReadonlySet<SubscriptionStatus> = new Set(["active", "trialing"]);

/**
 * A community's enabled marketplace installations with their versions (and subscriptions), for
 * the router config's one D1 batch (not awaited here).
 */
export const installedVersionsQuery = (db: Database, communityId: string) =>
  db
    .select({
      module: { id: modules.id, name: modules.name, displayName: modules.displayName },
      version: moduleVersions,
      installation: moduleInstallations,
      subscription: { id: moduleSubscriptions.id, status: moduleSubscriptions.status },
    })
    .from(moduleInstallations)
    .innerJoin(modules, eq(modules.id, moduleInstallations.moduleId))
    .innerJoin(moduleVersions, eq(moduleVersions.id, moduleInstallations.versionId))
    .leftJoin(moduleSubscriptions, eq(moduleSubscriptions.installationId, moduleInstallations.id))
    .where(
      and(
        eq(moduleInstallations.communityId, communityId),
        eq(moduleInstallations.enabled, true),
        isNotNull(moduleInstallations.versionId),
      ),
    )
    .orderBy(asc(moduleVersions.priority), asc(modules.name));

type Row = Awaited<ReturnType<typeof installedVersionsQuery>>[number];

/**
 * A marketplace installation as the router runs it. Its commands are rows in `commands`
 * (registered at install, so collisions are caught by the registry's unique index), so
 * `commands` stays empty here; `config` is the version's public part (secrets come at call time).
 */
export function installedToModuleDef(r: Row): ModuleDef {
  const v = r.version;
  const paid = v.priceMonthly > 0;
  const blocked = paid && !(r.subscription && PAID_STATUSES.has(r.subscription.status));
  const aliases: Record<string, string> = {};
  for (const [command, o] of Object.entries(r.installation.overrides)) if (o.alias) aliases[o.alias] = command;
  return {
    engine: v.engine,
    config: v.config,
    id: r.module.id,
    name: r.module.name,
    commands: [],
    triggers: v.events,
    priority: v.priority,
    parallel: v.parallel,
    installation: {
      id: r.installation.id,
      displayName: r.module.displayName ?? r.module.name,
      sealedSecrets: r.installation.secrets,
      settings: r.installation.settings,
      aliases,
      blockedSubscriptionId: blocked ? (r.subscription?.id ?? r.installation.id) : null,
      version: v.version,
      yanked: v.yankedAt !== null,
    },
  } as unknown as ModuleDef;
}
