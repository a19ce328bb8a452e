import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, PLATFORMS, updatedAt } from "./columns.ts";

export const GLOBAL_ROLES = ["admin", "user"] as const;
export type GlobalRole = (typeof GLOBAL_ROLES)[number];

/** A person, keyed by an internal id; platform accounts hang off it as identities. */
export const users = sqliteTable(
  "users",
  {
    id: id(),
    /** Only portal users have an email; chat-only users do not. */
    email: text("email").unique(),
    passwordHash: text("password_hash"),
    displayName: text("display_name").notNull(),
    primaryPlatform: text("primary_platform", { enum: PLATFORMS }),
    reputationScore: integer("reputation_score").notNull().default(0),
    globalRole: text("global_role", { enum: GLOBAL_ROLES }).notNull().default("user"),
    disabledAt: integer("disabled_at", { mode: "timestamp_ms" }),
    /** Set by every portal sign-in (password, platform OAuth, invite): the account has a login to protect. */
    lastLoginAt: integer("last_login_at", { mode: "timestamp_ms" }),
    /**
     * The instance owner (issue 11, first run): created only by `npm run deploy` or the one-time
     * setup URL (lib/db/schema/instance.ts). At most one row has it: the partial unique index.
     */
    instanceOwner: integer("instance_owner", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_one_instance_owner").on(t.instanceOwner).where(sql`instance_owner = 1`)],
);

/** A (platform, platform user id) attached to a user. Never key a user by one platform's id. */
export const userIdentities = sqliteTable(
  "user_identities",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    platform: text("platform", { enum: PLATFORMS }).notNull(),
    platformUserId: text("platform_user_id").notNull(),
    username: text("username").notNull(),
    verifiedAt: integer("verified_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("user_identities_platform_user").on(t.platform, t.platformUserId),
    index("user_identities_user").on(t.userId),
  ],
);
