import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, PLATFORMS } from "./columns.ts";
import { users } from "./users.ts";

/**
 * Portal sessions. The cookie carries a random id (256 bits); only its SHA-256 is stored, so
 * a copy of the table does not sign anyone in. `expires_at` slides forward on use.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    id: id(),
    tokenHash: text("token_hash").notNull().unique(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    ip: text("ip"),
  },
  (t) => [index("sessions_user").on(t.userId), index("sessions_expires").on(t.expiresAt)],
);

/** Password reset tokens, emailed once; stored as SHA-256, single use, short-lived. */
export const passwordResetTokens = sqliteTable(
  "password_reset_tokens",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("password_reset_tokens_user").on(t.userId)],
);

/**
 * Identity-linking codes: a 6-character code sent by whisper/DM to `target`; the identity
 * that asked types it back (in chat with `!verify`, or in the portal), proving it can read
 * the target's DMs. Only a salted SHA-256 of the code is kept; five tries kill it.
 */
export const verificationCodes = sqliteTable(
  "verification_codes",
  {
    id: id(),
    /** The user who asked for the link (the identity typed `!identity link`, or the portal user). */
    requesterUserId: text("requester_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** "chat": answered with `!verify` by the requesting identity; "portal": typed into the portal. */
    channel: text("channel", { enum: ["chat", "portal"] }).notNull(),
    /** For chat codes, the identity that asked: only it may type the code back. */
    requesterPlatform: text("requester_platform", { enum: PLATFORMS }),
    requesterPlatformUserId: text("requester_platform_user_id"),
    targetPlatform: text("target_platform", { enum: PLATFORMS }).notNull(),
    targetPlatformUserId: text("target_platform_user_id").notNull(),
    targetUsername: text("target_username").notNull(),
    codeHash: text("code_hash").notNull(),
    attempts: integer("attempts").notNull().default(0),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("verification_codes_target").on(t.targetPlatform, t.targetPlatformUserId),
    index("verification_codes_requester").on(t.requesterUserId),
  ],
);

/** The hub's service roles for machine callers (seeds: trigger, action, core). */
export const SERVICE_ROLES = ["trigger", "action", "core"] as const;
export type ServiceRole = (typeof SERVICE_ROLES)[number];

/**
 * A user that is a machine (a trigger collector, an action module, a core service). It has
 * no email or password; it acts through API keys, with its service role instead of
 * community memberships.
 */
export const serviceAccounts = sqliteTable("service_accounts", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  role: text("role", { enum: SERVICE_ROLES }).notNull(),
  createdAt: createdAt(),
});
