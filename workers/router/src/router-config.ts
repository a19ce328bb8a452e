import { eq } from "drizzle-orm";
import { TtlCache } from "../../../lib/cache.ts";
import type { PermissionLevel } from "../../../lib/chat/permission-level.ts";
import type { SecretBoxConfig } from "../../../lib/crypto/secret-box.ts";
import { createDb } from "../../../lib/db/client.ts";
import { communities } from "../../../lib/db/schema/index.ts";
import { log } from "../../../lib/log.ts";
import { commandRowsQuery, settingsQuery } from "./commands/commands.repo.ts";
import { buildCommandTable, type CommandTable } from "./commands/registry.ts";
import { installedToModuleDef, installedVersionsQuery } from "./marketplace/installed.ts";
import { capsMatcher, compilePattern, linksMatcher, type Matcher } from "./moderation/matchers.ts";
import { activeRulesQuery, type RuleRow } from "./moderation/moderation.repo.ts";
import { PERMIT_DEFAULT_SEC } from "./moderation/permits.ts";
import { withinBudget } from "./moderation/rule-limits.ts";
import { ActionConfig, EscalationStep, RuleOptions } from "./moderation/rules.schema.ts";
import type { ModuleDef } from "./modules/config.ts";
import { installedModulesQuery, toModuleDef } from "./modules/modules.repo.ts";
import { type AlertSettings, alertSettingsOf } from "./overlays/alerts.ts";
import { styleOf } from "./overlays/overlay-style.ts";

export interface RouterSettings {
  userCommandLimit: number;
  userCommandWindowSec: number;
  communityLimit: number;
  communityWindowSec: number;
  rateLimitedReply: string | null;
  liveSince: number | null;
}

/** The seeds' default: 60 commands per 60 s per user and command; no community-wide limit; silence. */
export const DEFAULT_SETTINGS: RouterSettings = {
  userCommandLimit: 60,
  userCommandWindowSec: 60,
  communityLimit: 0,
  communityWindowSec: 60,
  rateLimitedReply: null,
  liveSince: null,
};

export interface CompiledRule {
  id: string;
  name: string;
  matchType: RuleRow["matchType"];
  action: RuleRow["action"];
  actionConfig: ReturnType<typeof ActionConfig.parse>;
  escalation: ReturnType<typeof EscalationStep.parse>[];
  exemptLevel: PermissionLevel;
  /** null for the repeat filter, which needs the Durable Object. */
  match: Matcher | null;
  repeat: { count: number; windowMs: number } | null;
  /** Matching work per message (RE2 program size; 1 for filters), counted against the community's budget. */
  cost: number;
  /** Links filters: the window a `!permit` gives (s), or null when the rule takes no permits. */
  permitSec: number | null;
}

/** Everything the hot path needs about one community, loaded in one D1 round trip and cached. */
export interface RouterConfig {
  communityId: string;
  commands: CommandTable;
  /** Installed modules with event triggers, in priority order. */
  triggerModules: ModuleDef[];
  moderation: CompiledRule[];
  settings: RouterSettings;
  /**
   * The overlay alert switches from `communities.settings`, loaded in the same batch: a follow,
   * sub, raid or cheer reads them here instead of a D1 query per event.
   */
  alerts: AlertSettings;
  /** How long a platform alert stays on the ticker (the community's overlay style). */
  alertDurationMs: number;
}

/** Rules are compiled once per load (not per message). A rule that no longer compiles is skipped. */
export function compileRule(row: RuleRow): CompiledRule | null {
  try {
    const options = RuleOptions.parse(row.options);
    const rule = {
      id: row.id,
      name: row.name,
      matchType: row.matchType,
      action: row.action,
      actionConfig: ActionConfig.parse(row.actionConfig),
      escalation: row.escalation.map((s) => EscalationStep.parse(s)).sort((a, b) => a.strikes - b.strikes),
      exemptLevel: row.exemptLevel,
      repeat: null,
      cost: 1,
      permitSec: null,
    };
    switch (row.matchType) {
      case "caps":
        return { ...rule, match: capsMatcher(options.maxCapsRatio, options.minLength) };
      case "links":
        return {
          ...rule,
          match: linksMatcher(options.allowedDomains),
          permitSec: options.permit === false ? null : (options.permitSec ?? PERMIT_DEFAULT_SEC),
        };
      case "repeat":
        return {
          ...rule,
          match: null,
          repeat: { count: options.repeatCount ?? 3, windowMs: (options.repeatWindowSec ?? 60) * 1000 },
        };
      default: {
        const { match, cost } = compilePattern(row.matchType, row.pattern ?? "", options.caseSensitive ?? false);
        return { ...rule, match, cost };
      }
    }
  } catch (err) {
    log.warn("moderation rule skipped", { ruleId: row.id, error: err });
    return null;
  }
}

/** Rules saved before the budget existed may exceed it: the first ones in check order are kept. */
function affordableRules(rules: CompiledRule[]): CompiledRule[] {
  const { kept, skipped } = withinBudget(rules);
  if (skipped.length)
    log.warn("moderation rules over the matching budget skipped", { ruleIds: skipped.map((r) => r.id) });
  return kept;
}

// 30 s: other isolates see an admin's change within this; the isolate that made it at once.
const cache = new TtlCache<RouterConfig>(30_000, 5_000);

/** Cache statistics for /metrics. */
export const configCacheStats = () => ({ hits: cache.hits, misses: cache.misses });

/** The cached config, or undefined (synchronous: a cached lookup costs no await). */
export const cachedRouterConfig = (communityId: string) => cache.get(communityId);

// Loads in flight, so a burst of events on a cold cache (a batch, a raid) makes one D1 round trip, not one each.
const loading = new Map<string, Promise<RouterConfig>>();

/** Loads (one D1 batch: commands, modules, rules, settings, alert switches) and caches a community's config. */
export function loadRouterConfig(env: ConfigEnv, communityId: string): Promise<RouterConfig> {
  let pending = loading.get(communityId);
  if (!pending) {
    pending = load(env, communityId).finally(() => loading.delete(communityId));
    loading.set(communityId, pending);
  }
  return pending;
}

/** What loading needs: the database, and the key that opens module secrets. */
export interface ConfigEnv extends SecretBoxConfig {
  DB: D1Database;
}

async function load(env: ConfigEnv, communityId: string): Promise<RouterConfig> {
  const db = createDb(env.DB);
  const [commandRows, moduleRows, ruleRows, settingsRows, communityRows, installedRows] = await db.batch([
    commandRowsQuery(db, communityId),
    installedModulesQuery(db, communityId),
    activeRulesQuery(db, communityId),
    settingsQuery(db, communityId),
    db.select({ settings: communities.settings }).from(communities).where(eq(communities.id, communityId)),
    installedVersionsQuery(db, communityId),
  ]);
  const defs = await Promise.all(moduleRows.map((r) => toModuleDef(env, r.module)));
  const modules = [...defs.filter((m): m is ModuleDef => m !== null), ...installedRows.map(installedToModuleDef)].sort(
    (a, b) => a.priority - b.priority || a.name.localeCompare(b.name),
  );
  const s = settingsRows[0];
  const config: RouterConfig = {
    communityId,
    commands: buildCommandTable(communityId, commandRows, modules),
    triggerModules: modules.filter((m) => m.triggers.length > 0),
    moderation: affordableRules(ruleRows.map(compileRule).filter((r): r is CompiledRule => r !== null)),
    settings: s ? { ...s, liveSince: s.liveSince?.getTime() ?? null } : DEFAULT_SETTINGS,
    alerts: alertSettingsOf(communityRows[0]?.settings),
    alertDurationMs: styleOf(communityRows[0]?.settings).alertDurationSec * 1000,
  };
  cache.set(communityId, config);
  return config;
}

export const getRouterConfig = (env: ConfigEnv, communityId: string) =>
  cachedRouterConfig(communityId) ?? loadRouterConfig(env, communityId);

/** Call after any write to a community's commands, modules, rules or settings. */
export function invalidateRouterConfig(communityId: string): void {
  cache.delete(communityId);
}

/** Drops every cached config (after a key rotation rewrote module rows). */
export function invalidateAllRouterConfig(): void {
  cache.clear();
}

/** Seeds the cache directly (the benchmark measures the cached lookup this way). */
export const primeRouterConfig = (config: RouterConfig) => cache.set(config.communityId, config);
