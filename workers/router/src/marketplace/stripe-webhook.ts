import { and, eq, isNull, lte, or } from "drizzle-orm";
import { Hono } from "hono";
import { createDb } from "../../../../lib/db/client.ts";
import {
  moduleInstallations,
  moduleSubscriptions,
  SUBSCRIPTION_STATUSES,
  type SubscriptionStatus,
} from "../../../../lib/db/schema/index.ts";
import { log } from "../../../../lib/log.ts";
import type { AppEnv, Env } from "../env.ts";
import { invalidateRouterConfig } from "../router-config.ts";
import { verifyStripeEvent } from "./billing.ts";
import { forgetUnpaidNotice } from "./run-installed.ts";

/** Stripe's events are small; anything larger is not one. */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * POST /stripe/webhook — Stripe's signed events for paid modules. It lives on the router (not
 * the webhooks worker, which is chat-platform ingress) because the router owns installations,
 * their subscriptions and the command cache a payment change must invalidate. Configure the
 * endpoint in Stripe as `<public router URL>/stripe/webhook` with the four events below.
 */
export const stripeWebhook = new Hono<AppEnv>();

stripeWebhook.post("/stripe/webhook", async (c) => {
  if (!c.env.STRIPE_WEBHOOK_SECRET) return c.text("stripe webhooks are not configured", 503);
  const declared = Number(c.req.header("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) return c.text("too large", 413);
  const body = await c.req.text();
  if (body.length > MAX_BODY_BYTES) return c.text("too large", 413);
  const event = await verifyStripeEvent(c.env, body, c.req.header("stripe-signature"));
  if (!event) return c.text("invalid signature", 400);
  await applyStripeEvent(c.env, event.type, event.data.object as unknown as Record<string, unknown>, event.created);
  return c.json({ received: true });
});

const str = (v: unknown): string | null =>
  typeof v === "string" ? v : v && typeof v === "object" && "id" in v ? String((v as { id: unknown }).id) : null;
const statusOf = (v: unknown): SubscriptionStatus | null =>
  typeof v === "string" && (SUBSCRIPTION_STATUSES as readonly string[]).includes(v) ? (v as SubscriptionStatus) : null;

/** The subscription id an invoice belongs to (older and newer API versions put it in different places). */
function invoiceSubscription(o: Record<string, unknown>): string | null {
  const parent = o.parent as { subscription_details?: { subscription?: unknown } } | undefined;
  return str(o.subscription) ?? str(parent?.subscription_details?.subscription);
}

/** The period end of a subscription (on the item since 2025 API versions, on the subscription before). */
function periodEnd(o: Record<string, unknown>): Date | null {
  const items = (o.items as { data?: { current_period_end?: number }[] } | undefined)?.data;
  const t = (o.current_period_end as number | undefined) ?? items?.[0]?.current_period_end;
  return typeof t === "number" ? new Date(t * 1000) : null;
}

/**
 * Moves a subscription by a verified event. Idempotent (Stripe delivers at least once): each
 * event sets the state it describes, unless a newer event was already applied (Stripe does not
 * keep order). Unknown subscriptions and other events are ignored.
 */
async function applyStripeEvent(env: Env, type: string, o: Record<string, unknown>, createdAt: number): Promise<void> {
  const db = createDb(env.DB);
  let change: { where: ReturnType<typeof eq>; set: Partial<typeof moduleSubscriptions.$inferInsert> } | null = null;
  switch (type) {
    case "checkout.session.completed": {
      const session = str(o.id);
      if (!session) return;
      const paid = o.payment_status === "paid" || o.payment_status === "no_payment_required";
      change = {
        where: eq(moduleSubscriptions.checkoutSessionId, session),
        set: {
          status: paid ? "active" : "incomplete",
          stripeSubscriptionId: str(o.subscription),
          stripeCustomerId: str(o.customer),
          noticeAt: null,
        },
      };
      break;
    }
    case "customer.subscription.updated":
    case "customer.subscription.deleted": {
      const sub = str(o.id);
      const status = type === "customer.subscription.deleted" ? "canceled" : statusOf(o.status);
      if (!sub || !status) return;
      const installationId = str((o.metadata as Record<string, unknown> | undefined)?.installationId);
      change = {
        where: installationId
          ? (or(
              eq(moduleSubscriptions.stripeSubscriptionId, sub),
              eq(moduleSubscriptions.installationId, installationId),
            ) as ReturnType<typeof eq>)
          : eq(moduleSubscriptions.stripeSubscriptionId, sub),
        set: { status, stripeSubscriptionId: sub, currentPeriodEnd: periodEnd(o) },
      };
      break;
    }
    case "invoice.payment_failed": {
      const sub = invoiceSubscription(o);
      if (!sub) return;
      change = { where: eq(moduleSubscriptions.stripeSubscriptionId, sub), set: { status: "past_due" } };
      break;
    }
    default:
      return;
  }
  const updated = await db
    .update(moduleSubscriptions)
    .set({ ...change.set, lastEventAt: createdAt })
    .where(
      and(change.where, or(isNull(moduleSubscriptions.lastEventAt), lte(moduleSubscriptions.lastEventAt, createdAt))),
    )
    .returning({ installationId: moduleSubscriptions.installationId, status: moduleSubscriptions.status });
  for (const u of updated) {
    const inst = await db
      .select({ communityId: moduleInstallations.communityId })
      .from(moduleInstallations)
      .where(eq(moduleInstallations.id, u.installationId))
      .get();
    if (inst) invalidateRouterConfig(inst.communityId);
    forgetUnpaidNotice(u.installationId);
    log.info("module subscription changed", { installationId: u.installationId, status: u.status, event: type });
  }
}
