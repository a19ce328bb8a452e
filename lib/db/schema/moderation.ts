import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { PERMISSION_LEVELS } from "../../chat/permission-level.ts";
import { createdAt, id, PLATFORMS, updatedAt } from "./columns.ts";
import { communities } from "./communities.ts";

export const MATCH_TYPES = ["exact", "contains", "word", "wildcard", "regex", "caps", "links", "repeat"] as const;
export const MODERATION_ACTIONS = ["reply", "warn", "delete", "timeout", "ban", "command", "webhook"] as const;

/**
 * Moderation rules (string matching and filters), checked before any command. `options` and
 * `escalation` are validated by zod in workers/router/src/moderation/rules.schema.ts.
 */
export const moderationRules = sqliteTable(
  "moderation_rules",
  {
    id: id(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    matchType: text("match_type", { enum: MATCH_TYPES }).notNull(),
    /** The text, wildcard or regex to match (null for caps/links/repeat filters). */
    pattern: text("pattern"),
    /** Filter settings: caps ratio, link allow-list, repeat count and window. */
    options: text("options", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    action: text("action", { enum: MODERATION_ACTIONS }).notNull(),
    /** Action settings: message, durationSec, command, url. */
    actionConfig: text("action_config", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    /** Steps by strike count, e.g. [{ strikes: 3, action: "timeout", durationSec: 600 }]. */
    escalation: text("escalation", { mode: "json" }).$type<Record<string, unknown>[]>().notNull().default([]),
    /** Users at this level or above are not checked. */
    exemptLevel: text("exempt_level", { enum: PERMISSION_LEVELS }).notNull().default("moderator"),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    /** Lower is checked first; the first matching rule decides. */
    priority: integer("priority").notNull().default(100),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("moderation_rules_community").on(t.communityId)],
);

/** Strikes per user and community, for escalation. Only written when a rule matches. */
export const moderationStrikes = sqliteTable(
  "moderation_strikes",
  {
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    platform: text("platform", { enum: PLATFORMS }).notNull(),
    platformUserId: text("platform_user_id").notNull(),
    strikes: integer("strikes").notNull().default(0),
    lastAt: integer("last_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.platform, t.platformUserId] })],
);
