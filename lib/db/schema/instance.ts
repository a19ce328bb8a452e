import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns.ts";

/**
 * One-time setup tokens for the first run (`npm run deploy` without ADMIN_EMAIL/ADMIN_PASSWORD):
 * only the SHA-256 of the token is stored, it expires, and it is spent by the one request that
 * creates the instance owner.
 */
export const instanceSetupTokens = sqliteTable("instance_setup_tokens", {
  tokenHash: text("token_hash").primaryKey(),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  usedAt: integer("used_at", { mode: "timestamp_ms" }),
  createdAt: createdAt(),
});
