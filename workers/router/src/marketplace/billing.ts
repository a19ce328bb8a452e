import Stripe from "stripe";
import { isLocal } from "../../../../lib/config.ts";
import { HttpError } from "../../../../lib/http/errors.ts";
import { log } from "../../../../lib/log.ts";

/** The router's Stripe settings (paid marketplace modules). */
export interface BillingConfig {
  /** Stripe API key (sk_…): creates Checkout sessions, cancels subscriptions. */
  STRIPE_SECRET_KEY?: string;
  /** Signing secret (whsec_…) of the webhook endpoint POST /stripe/webhook. */
  STRIPE_WEBHOOK_SECRET?: string;
  /** Origin of the Stripe API (default https://api.stripe.com); tests point it at the local fake. */
  STRIPE_API_BASE?: string;
  /** The portal's public origin, for Checkout's return links (default http://127.0.0.1:8787). */
  PUBLIC_URL?: string;
}

/** Stripe is not configured or did not answer: the install cannot start its Checkout. */
class BillingUnavailable extends HttpError {
  constructor(message = "Payments are not available right now") {
    super(503, message);
  }
}

const clients = new Map<string, Stripe>();

/**
 * One Stripe client per key and base, on the fetch HTTP client (Workers have no Node http).
 * STRIPE_API_BASE is honoured for any origin only locally; a deployed worker accepts it only over https.
 */
function stripeClient(env: BillingConfig & { WADDLEBOT_ENV?: string }): Stripe {
  if (!env.STRIPE_SECRET_KEY) throw new BillingUnavailable("Paid modules need STRIPE_SECRET_KEY");
  const base = new URL(env.STRIPE_API_BASE || "https://api.stripe.com");
  if (base.protocol !== "https:" && !isLocal(env)) throw new BillingUnavailable("STRIPE_API_BASE must be https");
  const cacheKey = `${env.STRIPE_SECRET_KEY}|${base.origin}`;
  let client = clients.get(cacheKey);
  if (!client) {
    client = new Stripe(env.STRIPE_SECRET_KEY, {
      httpClient: Stripe.createFetchHttpClient(),
      host: base.hostname,
      port: base.port || (base.protocol === "https:" ? 443 : 80),
      protocol: base.protocol === "https:" ? "https" : "http",
      maxNetworkRetries: 1,
      timeout: 10_000,
    });
    clients.set(cacheKey, client);
  }
  return client;
}

const cryptoProvider = Stripe.createSubtleCryptoProvider();

/**
 * Verifies a Stripe webhook (header `Stripe-Signature: t=…,v1=HMAC-SHA256(t.body)`, five
 * minutes' tolerance) with WebCrypto; null when it does not verify.
 */
export async function verifyStripeEvent(env: BillingConfig, body: string, signature: string | undefined) {
  if (!env.STRIPE_WEBHOOK_SECRET || !signature) return null;
  try {
    return await Stripe.webhooks.constructEventAsync(body, signature, env.STRIPE_WEBHOOK_SECRET, 300, cryptoProvider);
  } catch (err) {
    log.warn("stripe webhook refused", { error: (err as Error).message });
    return null;
  }
}

/** Starts Stripe Checkout for a paid installation (a monthly subscription at the version's price). */
export async function startCheckout(
  env: BillingConfig & { WADDLEBOT_ENV?: string },
  p: {
    installationId: string;
    communityId: string;
    module: string;
    displayName: string;
    amount: number;
    currency: string;
  },
): Promise<{ id: string; url: string }> {
  const stripe = stripeClient(env);
  const portal = (env.PUBLIC_URL || "http://127.0.0.1:8787").replace(/\/+$/, "");
  const back = `${portal}/portal/communities/${p.communityId}/installed`;
  try {
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      client_reference_id: p.installationId,
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: p.currency,
            unit_amount: p.amount,
            recurring: { interval: "month" },
            product_data: { name: `${p.displayName} (WaddleBot module ${p.module})` },
          },
        },
      ],
      metadata: { installationId: p.installationId, communityId: p.communityId, module: p.module },
      subscription_data: { metadata: { installationId: p.installationId } },
      success_url: `${back}?checkout=success`,
      cancel_url: `${back}?checkout=cancelled`,
    });
    if (!session.url) throw new Error("no checkout url");
    return { id: session.id, url: session.url };
  } catch (err) {
    log.warn("stripe checkout failed", { error: (err as Error).message });
    throw new BillingUnavailable("Stripe did not start the checkout; try again");
  }
}

/** Cancels a subscription at Stripe (uninstall); a failure is logged, the uninstall stands. */
export async function cancelSubscription(env: BillingConfig & { WADDLEBOT_ENV?: string }, subscriptionId: string) {
  try {
    await stripeClient(env).subscriptions.cancel(subscriptionId);
  } catch (err) {
    log.warn("stripe cancel failed", { subscriptionId, error: (err as Error).message });
  }
}
