/**
 * The Stripe API as the fake platform answers it (STRIPE_API_BASE = the fake's origin; the SDK
 * calls /v1/...). Just what paid modules use: Checkout sessions and cancelling a subscription.
 */
export function stripeAnswer(
  method: string,
  path: string,
  body: Record<string, unknown>,
  headers: Record<string, string>,
): { status: number; body?: unknown } {
  if (!/^Bearer sk_test_/.test(headers.authorization ?? ""))
    return { status: 401, body: { error: { type: "invalid_request_error", message: "Invalid API Key provided" } } };
  if (path === "/v1/checkout/sessions" && method === "POST") {
    // Derived from the installation (client_reference_id), so an end-to-end test can name the session.
    const id = `cs_test_${String(body.client_reference_id ?? crypto.randomUUID()).replaceAll("-", "")}`;
    return {
      status: 200,
      body: {
        id,
        object: "checkout.session",
        mode: body.mode,
        client_reference_id: body.client_reference_id,
        url: `https://checkout.stripe.test/c/pay/${id}`,
        status: "open",
      },
    };
  }
  const cancel = path.match(/^\/v1\/subscriptions\/([^/]+)$/);
  if (cancel && method === "DELETE")
    return { status: 200, body: { id: cancel[1], object: "subscription", status: "canceled" } };
  return { status: 404, body: { error: { type: "invalid_request_error", message: "Unrecognized request URL" } } };
}
