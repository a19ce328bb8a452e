import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { PERMISSION_LEVELS } from "../../chat/permission-level.ts";
import { createdAt, id, PLATFORMS, updatedAt } from "./columns.ts";
import { communities } from "./communities.ts";
import { modules } from "./modules.ts";

export const COMMAND_PREFIXES = ["!", "#"] as const;
export const COMMAND_KINDS = ["text", "builtin", "module"] as const;

/**
 * The command registry. A row with no community is global; a community's row overrides a
 * global one (and a built-in) of the same prefix and name. `text` commands answer a template,
 * `builtin` ones run in the worker, `module` ones call an installed module's engine.
 */
export const commands = sqliteTable(
  "commands",
  {
    id: id(),
    /** null = global (every community). */
    communityId: text("community_id").references(() => communities.id, { onDelete: "cascade" }),
    prefix: text("prefix", { enum: COMMAND_PREFIXES }).notNull().default("!"),
    /** Lowercase; matched case-insensitively. */
    name: text("name").notNull(),
    kind: text("kind", { enum: COMMAND_KINDS }).notNull().default("text"),
    /** For text commands: the reply template (validated when saved). */
    response: text("response"),
    /** For module commands: which module answers. */
    moduleId: text("module_id").references(() => modules.id, { onDelete: "cascade" }),
    description: text("description").notNull().default(""),
    minLevel: text("min_level", { enum: PERMISSION_LEVELS }).notNull().default("everyone"),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    /** Channel ids where this command is switched off. */
    disabledChannels: text("disabled_channels", { mode: "json" }).$type<string[]>().notNull().default([]),
    /** One use per this many seconds across the whole community (0 = none). */
    globalCooldownSec: integer("global_cooldown_sec").notNull().default(0),
    /** One use per this many seconds per user (0 = none). */
    userCooldownSec: integer("user_cooldown_sec").notNull().default(0),
    /** How many times the command has run ({count}). */
    useCount: integer("use_count").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("commands_community_prefix_name").on(t.communityId, t.prefix, t.name),
    index("commands_module").on(t.moduleId),
  ],
);

/**
 * Per-community rate-limit and cooldown settings. No row = the defaults (seeds: 60 commands
 * per 60 s per user and command; no community-wide limit; silence when limited).
 */
export const routerSettings = sqliteTable("router_settings", {
  communityId: text("community_id")
    .primaryKey()
    .references(() => communities.id, { onDelete: "cascade" }),
  userCommandLimit: integer("user_command_limit").notNull().default(60),
  userCommandWindowSec: integer("user_command_window_sec").notNull().default(60),
  /** Commands per window across the community (0 = no limit). */
  communityLimit: integer("community_limit").notNull().default(0),
  communityWindowSec: integer("community_window_sec").notNull().default(60),
  /** Said when a caller is rate limited; null = stay silent. `{retry}` = seconds to wait. */
  rateLimitedReply: text("rate_limited_reply"),
  /** When the stream went live (stream_online), for !uptime; null = offline. */
  liveSince: integer("live_since", { mode: "timestamp_ms" }),
  updatedAt: updatedAt(),
});

export const EXECUTION_STATUSES = ["success", "error", "timeout", "denied", "rate_limited"] as const;
export const ENGINES = ["text", "builtin", "webhook", "lambda", "openwhisk"] as const;

/** Every execution, for the audit and the executions API. Written after the reply (waitUntil). */
export const commandExecutions = sqliteTable(
  "command_executions",
  {
    id: id(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    platform: text("platform", { enum: PLATFORMS }).notNull(),
    /** The platform user id of the caller. */
    userId: text("user_id").notNull(),
    /** `!name`, `#name` or `event:<type>` for event-triggered modules. */
    command: text("command").notNull(),
    moduleId: text("module_id"),
    engine: text("engine", { enum: ENGINES }).notNull(),
    status: text("status", { enum: EXECUTION_STATUSES }).notNull(),
    durationMs: integer("duration_ms").notNull(),
    error: text("error"),
    /** A try from the admin API's simulate endpoint (synthetic user): never counted in stats. */
    simulated: integer("simulated", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index("command_executions_community_time").on(t.communityId, t.createdAt)],
);
