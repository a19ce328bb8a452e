import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { stripeEvent, stripeHeaders, unixSeconds } from "../../../test/shared/sign.ts";
import { call } from "../../../test/workerd/self.ts";
import { communityWithAdmin, createAuthor, install, publishWebhookModule } from "./support/marketplace.ts";
import { api, chat, fake, send, texts } from "./support/router.ts";

const paid = { price: { type: "monthly", amount: 500, currency: "eur" } };

async function stripe(
  type: string,
  object: Record<string, unknown>,
  secret = env.STRIPE_WEBHOOK_SECRET,
  ts?: string,
  created?: number,
) {
  const body = stripeEvent(type, object, created);
  return call("/stripe/webhook", { method: "POST", body, headers: await stripeHeaders(secret, body, ts) });
}
const subscriptionOf = (communityId: string) =>
  env.DB.prepare(
    "SELECT s.* FROM module_subscriptions s JOIN module_installations i ON i.id = s.installation_id WHERE i.community_id = ?",
  )
    .bind(communityId)
    .first<{ status: string; checkout_session_id: string; stripe_subscription_id: string | null }>();

async function paidInstall() {
  const author = await createAuthor();
  const cmd = `vip${crypto.randomUUID().slice(0, 4)}`;
  const mod = await publishWebhookModule(author.authorization, [cmd], { reply: "premium answer", extra: paid });
  const c = await communityWithAdmin();
  const res = await install(c.community.id, c.authorization, { module: mod.name });
  const say = async (text = `!${cmd}`) => texts(await send(chat(c.community, text)));
  return { ...c, mod, cmd, res, say };
}

describe("paid modules", () => {
  it("starts Stripe Checkout on install and answers only a notice (once an hour) until paid", async () => {
    const { res, say, community, authorization, mod } = await paidInstall();
    expect(res.status).toBe(201);
    expect(res.data.checkoutUrl).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    const sub = await subscriptionOf(community.id);
    expect(sub?.status).toBe("pending");
    const checkout = (await fake.requests("/v1/checkout/sessions")).find(
      (r) => (r.body as Record<string, string>).client_reference_id === res.data.id,
    );
    expect(checkout!.headers.authorization).toBe(`Bearer ${env.STRIPE_SECRET_KEY}`);
    expect((checkout!.body as Record<string, string>)["line_items[0][price_data][unit_amount]"]).toBe("500");
    const [notice] = await say();
    expect(notice).toContain("is paused");
    expect(await say()).toEqual([]);
    expect(await fake.requests(mod.path)).toEqual([]);
    const patch = await api("PATCH", `/api/v1/communities/${community.id}/installations/${mod.name}`, authorization, {
      settings: {},
    });
    expect(patch.status).toBe(402);
  });

  it("runs once checkout.session.completed arrives signed; stops when the subscription is deleted; resumes when paid", async () => {
    const { say, community } = await paidInstall();
    const { checkout_session_id } = (await subscriptionOf(community.id))!;
    const completed = await stripe("checkout.session.completed", {
      id: checkout_session_id,
      object: "checkout.session",
      payment_status: "paid",
      subscription: `sub_123${community.id.slice(0, 6)}`,
      customer: "cus_1",
    });
    expect(completed.status).toBe(200);
    expect(await say()).toEqual(["premium answer"]);
    const subId = (await subscriptionOf(community.id))!.stripe_subscription_id!;
    expect(
      (await stripe("invoice.payment_failed", { id: "in_1", object: "invoice", subscription: subId })).status,
    ).toBe(200);
    expect((await subscriptionOf(community.id))?.status).toBe("past_due");
    expect((await say())[0]).toContain("is paused");
    await stripe("customer.subscription.updated", { id: subId, object: "subscription", status: "active" });
    expect(await say()).toEqual(["premium answer"]);
    await stripe("customer.subscription.deleted", { id: subId, object: "subscription", status: "canceled" });
    expect((await subscriptionOf(community.id))?.status).toBe("canceled");
    expect(await say()).toEqual([]);
    // An older event delivered late (Stripe keeps no order) does not revive it.
    const late = await stripe(
      "customer.subscription.updated",
      { id: subId, object: "subscription", status: "active" },
      env.STRIPE_WEBHOOK_SECRET,
      undefined,
      Math.floor(Date.now() / 1000) - 120,
    );
    expect(late.status).toBe(200);
    expect((await subscriptionOf(community.id))?.status).toBe("canceled");
  });

  it("refuses a webhook signed with another secret, a stale one, or none (400) and changes nothing", async () => {
    const { say, community } = await paidInstall();
    const { checkout_session_id } = (await subscriptionOf(community.id))!;
    const object = {
      id: checkout_session_id,
      object: "checkout.session",
      payment_status: "paid",
      subscription: "sub_x",
    };
    expect((await stripe("checkout.session.completed", object, "whsec_not_the_secret")).status).toBe(400);
    expect(
      (await stripe("checkout.session.completed", object, env.STRIPE_WEBHOOK_SECRET, unixSeconds(-3600))).status,
    ).toBe(400);
    const body = stripeEvent("checkout.session.completed", object);
    expect(
      (await call("/stripe/webhook", { method: "POST", body, headers: { "content-type": "application/json" } })).status,
    ).toBe(400);
    expect((await subscriptionOf(community.id))?.status).toBe("pending");
    expect((await say())[0]).toContain("is paused");
  });
});
