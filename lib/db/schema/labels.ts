import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, PLATFORMS, updatedAt } from "./columns.ts";
import { communities } from "./communities.ts";

/**
 * A community's label catalogue (seeds: Labels Core). `normalizedName` (trimmed, lower case)
 * is what makes two names the same label: "VIP" and " vip " collide (409).
 */
export const labels = sqliteTable(
  "labels",
  {
    id: id(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    normalizedName: text("normalized_name").notNull(),
    /** `#rrggbb`, for the portal's chips. */
    color: text("color").notNull().default("#6b7280"),
    description: text("description").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("labels_community_name").on(t.communityId, t.normalizedName)],
);

/**
 * What a label can be put on. Users are labelled per community; modules by their id. A
 * `memory` is a quote (its row id) or a url/note (`url:<name>`, `note:<name>`); an
 * `inventory_item` is an item kind of the community's catalogue (its lowercase name), so a
 * label on "sword" holds whoever has swords. A text column without CHECK: no migration.
 */
export const LABEL_ENTITY_TYPES = ["community", "module", "user", "entity_group", "memory", "inventory_item"] as const;
export type LabelEntityType = (typeof LABEL_ENTITY_TYPES)[number];

/**
 * One label on one entity, scoped to the label's community. Generic on purpose (entity type +
 * id, no foreign key to the entity): modules and entity groups are other areas' tables.
 */
export const entityLabels = sqliteTable(
  "entity_labels",
  {
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    labelId: text("label_id")
      .notNull()
      .references(() => labels.id, { onDelete: "cascade" }),
    entityType: text("entity_type", { enum: LABEL_ENTITY_TYPES }).notNull(),
    entityId: text("entity_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.labelId, t.entityType, t.entityId] }),
    // The cap check and "labels of this user": by entity within a community.
    index("entity_labels_entity").on(t.communityId, t.entityType, t.entityId),
  ],
);

/**
 * An entity group: holders of `labelId` get a platform role (a Discord role id, a Slack user
 * group id, or Twitch `vip` / `moderator`) in the community's space on that platform.
 */
export const entityGroups = sqliteTable(
  "entity_groups",
  {
    id: id(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    labelId: text("label_id")
      .notNull()
      .references(() => labels.id, { onDelete: "cascade" }),
    platform: text("platform", { enum: PLATFORMS }).notNull(),
    roleId: text("role_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("entity_groups_mapping").on(t.communityId, t.labelId, t.platform, t.roleId),
    index("entity_groups_label").on(t.labelId),
  ],
);

/**
 * Roles WaddleBot has put on a platform for an entity group, as last confirmed by the
 * platform. Kept without a foreign key to the group: when a group or its label is deleted,
 * these rows are how the roles it gave are found and taken back (and how the nightly
 * reconcile finds drift).
 */
export const roleAssignments = sqliteTable(
  "role_assignments",
  {
    groupId: text("group_id").notNull(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    userId: text("user_id").notNull(),
    platform: text("platform", { enum: PLATFORMS }).notNull(),
    roleId: text("role_id").notNull(),
    platformUserId: text("platform_user_id").notNull(),
    assignedAt: integer("assigned_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index("role_assignments_community").on(t.communityId)],
);
