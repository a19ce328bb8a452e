import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, PLATFORMS, updatedAt } from "./columns.ts";
import { users } from "./users.ts";

export const communities = sqliteTable("communities", {
  id: id(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  ownerUserId: text("owner_user_id").references(() => users.id, { onDelete: "set null" }),
  /** Community-wide settings as JSON (validated by zod where read). */
  settings: text("settings", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
  isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** A community's presence on one platform: a Discord guild, a Twitch broadcaster, a Slack team. */
export const communityPlatforms = sqliteTable(
  "community_platforms",
  {
    id: id(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    platform: text("platform", { enum: PLATFORMS }).notNull(),
    /** The platform's id: guild id, broadcaster user id or team id. */
    platformId: text("platform_id").notNull(),
    displayName: text("display_name"),
    status: text("status", { enum: ["active", "disconnected", "revoked"] })
      .notNull()
      .default("active"),
    createdAt: createdAt(),
  },
  (t) => [
    // One platform space belongs to one community: this is the lookup every event makes.
    uniqueIndex("community_platforms_platform_id").on(t.platform, t.platformId),
    index("community_platforms_community").on(t.communityId),
  ],
);

export const COMMUNITY_ROLES = ["owner", "admin", "moderator", "member"] as const;
export type CommunityRole = (typeof COMMUNITY_ROLES)[number];

export const communityMembers = sqliteTable(
  "community_members",
  {
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: COMMUNITY_ROLES }).notNull().default("member"),
    /** Activity points (seeds: message 5, follow 10, sub 50, ...). */
    points: integer("points").notNull().default(0),
    joinedAt: createdAt("joined_at"),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.userId] }), index("community_members_user").on(t.userId)],
);
