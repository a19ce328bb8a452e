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
 * the router config's one D1 batch (not awaited here). The columns are picked so no two share a
 * name: drizzle maps a D1 batch's rows by column name, so a joined `id` (or `config`) would be
 * read from the wrong table.
 */
export const installedVersionsQuery = (db: Database, communityId: string) =>
  db
    .select({
      moduleId: moduleInstallations.moduleId,
      name: modules.name,
      displayName: modules.displayName,
      installationId: moduleInstallations.id,
      settings: moduleInstallations.settings,
      secrets: moduleInstallations.secrets,
      overrides: moduleInstallations.overrides,
      engine: moduleVersions.engine,
      config: moduleVersions.config,
      events: moduleVersions.events,
      priority: moduleVersions.priority,
      parallel: moduleVersions.parallel,
      priceMonthly: moduleVersions.priceMonthly,
      subscriptionStatus: moduleSubscriptions.status,
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
  const paid = r.priceMonthly > 0;
  const aliases: Record<string, string> = {};
  for (const [command, o] of Object.entries(r.overrides)) if (o.alias) aliases[o.alias] = command;
  return {
    engine: r.engine,
    config: r.config,
    id: r.moduleId,
    name: r.name,
    commands: [],
    triggers: r.events,
    priority: r.priority,
    parallel: r.parallel,
    installation: {
      id: r.installationId,
      displayName: r.displayName ?? r.name,
      sealedSecrets: r.secrets,
      settings: r.settings,
      aliases,
      blocked: paid && !(r.subscriptionStatus && PAID_STATUSES.has(r.subscriptionStatus)),
    },
  } as unknown as ModuleDef;
}
