import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { id } from "./columns.ts";

/**
 * The AAA trail: authentication, denied authorisations, admin changes, executions of note.
 * Append-only by design: no API updates or deletes a row.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: id(),
    occurredAt: integer("occurred_at", { mode: "timestamp_ms" })
      .notNull()
      .$defaultFn(() => new Date()),
    requestId: text("request_id"),
    actorType: text("actor_type", { enum: ["user", "api_key", "system", "platform", "service"] }).notNull(),
    actorId: text("actor_id"),
    communityId: text("community_id"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    outcome: text("outcome", { enum: ["success", "denied", "failure"] }).notNull(),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
    ip: text("ip"),
  },
  (t) => [
    index("audit_log_community_time").on(t.communityId, t.occurredAt),
    index("audit_log_action_time").on(t.action, t.occurredAt),
    index("audit_log_actor_time").on(t.actorId, t.occurredAt),
  ],
);
