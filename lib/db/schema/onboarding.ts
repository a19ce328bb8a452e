import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, PLATFORMS } from "./columns.ts";
import { COMMUNITY_ROLES, communities } from "./communities.ts";
import { users } from "./users.ts";

/**
 * An invitation to join a community, emailed to `email`. Admins never create accounts or
 * choose passwords: the person opens the link and sets their own password (or signs in with
 * a platform) and only then becomes a member. Only the token's SHA-256 is stored; single use.
 */
export const memberInvites = sqliteTable(
  "member_invites",
  {
    id: id(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    displayName: text("display_name"),
    role: text("role", { enum: COMMUNITY_ROLES }).notNull(),
    invitedBy: text("invited_by").references(() => users.id, { onDelete: "set null" }),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("member_invites_community").on(t.communityId)],
);

/**
 * A link that a chat identity proved (it typed the code sent to the target's DM) but that
 * would join an account with a portal login or API keys: it waits here until that account's
 * owner approves it while signed in to the portal (README, "Identity").
 */
export const identityLinkRequests = sqliteTable(
  "identity_link_requests",
  {
    id: id(),
    /** The account that asked (it is merged into the target account on approval). */
    requesterUserId: text("requester_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The identity that typed the code, shown to the approver. */
    requesterPlatform: text("requester_platform", { enum: PLATFORMS }).notNull(),
    requesterUsername: text("requester_username").notNull(),
    /** The protected account the target identity belongs to: only its owner may approve. */
    targetUserId: text("target_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    targetPlatform: text("target_platform", { enum: PLATFORMS }).notNull(),
    targetPlatformUserId: text("target_platform_user_id").notNull(),
    createdAt: createdAt(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("identity_link_requests_target").on(t.targetUserId)],
);

/**
 * Local development only (`WADDLEBOT_ENV=local`): the mail the identity worker would have
 * sent, readable by a developer and by the tests instead of a log line. A deployed worker
 * never writes here (it sends real mail or answers 503).
 */
export const devMailbox = sqliteTable(
  "dev_mailbox",
  {
    id: id(),
    to: text("to_address").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("dev_mailbox_to").on(t.to)],
);
