import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns.ts";
import { users } from "./users.ts";

/**
 * One-time sign-in links (the `npm start` banner's link for the local admin, lib/auth/login-links.ts):
 * only the SHA-256 of the token is stored; it expires after minutes and is spent by the one GET
 * that opens a session.
 */
export const loginLinks = sqliteTable(
  "login_links",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("login_links_user").on(t.userId)],
);
