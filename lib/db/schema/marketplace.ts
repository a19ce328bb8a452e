import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { moduleInstallations, modules } from "./modules.ts";
import { users } from "./users.ts";

/** A review of a marketplace module: one per user per module; the author may answer it. */
export const moduleReviews = sqliteTable(
  "module_reviews",
  {
    id: id(),
    moduleId: text("module_id")
      .notNull()
      .references(() => modules.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    rating: integer("rating").notNull(),
    text: text("text").notNull().default(""),
    reply: text("reply"),
    repliedAt: integer("replied_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("module_reviews_module_user").on(t.moduleId, t.userId)],
);

export const SUBSCRIPTION_STATUSES = [
  "pending",
  "active",
  "trialing",
  "past_due",
  "unpaid",
  "canceled",
  "incomplete",
  "incomplete_expired",
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/**
 * The Stripe subscription that pays for a paid module's installation. Only `active` and
 * `trialing` let the module's commands run; Stripe's signed webhooks move the status.
 */
export const moduleSubscriptions = sqliteTable(
  "module_subscriptions",
  {
    id: id(),
    installationId: text("installation_id")
      .notNull()
      .unique()
      .references(() => moduleInstallations.id, { onDelete: "cascade" }),
    status: text("status", { enum: SUBSCRIPTION_STATUSES }).notNull().default("pending"),
    checkoutSessionId: text("checkout_session_id").unique(),
    stripeSubscriptionId: text("stripe_subscription_id").unique(),
    stripeCustomerId: text("stripe_customer_id"),
    currentPeriodEnd: integer("current_period_end", { mode: "timestamp_ms" }),
    /**
     * `created` of the newest Stripe event applied (Unix seconds): Stripe does not deliver in
     * order, so an older event arriving late never undoes a newer one (a cancel stays a cancel).
     */
    lastEventAt: integer("last_event_at"),
    /** When chat was last told the module is unpaid (at most one notice per hour). */
    noticeAt: integer("notice_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("module_subscriptions_status").on(t.status)],
);
