/**
 * Signs requests exactly as the platforms do, with keys and secrets generated per test run
 * (test/support/test-vars.ts). WebCrypto only, so workerd and Node tests share it.
 */
import { fromBase64, toHex, utf8 } from "../../lib/crypto/encoding.ts";
import { hmacSha256Hex } from "../../lib/crypto/hmac.ts";

export const unixSeconds = (offsetSeconds = 0) => String(Math.floor(Date.now() / 1000) + offsetSeconds);

/** Discord: Ed25519 over timestamp + body with the application's private key (pkcs8, base64). */
export async function discordHeaders(privateKeyPkcs8: string | CryptoKey, body: string, timestamp = unixSeconds()) {
  const key =
    typeof privateKeyPkcs8 === "string"
      ? await crypto.subtle.importKey("pkcs8", fromBase64(privateKeyPkcs8), { name: "Ed25519" }, false, ["sign"])
      : privateKeyPkcs8;
  const signature = toHex(await crypto.subtle.sign({ name: "Ed25519" }, key, utf8(timestamp + body)));
  return { "content-type": "application/json", "x-signature-ed25519": signature, "x-signature-timestamp": timestamp };
}

/** A key pair Discord never issued to us: signatures that must be refused. */
export async function otherDiscordKey(): Promise<CryptoKey> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  return pair.privateKey;
}

/** Twitch EventSub: sha256= HMAC of message id + timestamp + body. */
export async function twitchHeaders(
  secret: string,
  body: string,
  opts: { messageId?: string; type?: string; timestamp?: string; subscriptionType?: string } = {},
) {
  const messageId = opts.messageId ?? crypto.randomUUID();
  const timestamp = opts.timestamp ?? new Date().toISOString();
  return {
    "content-type": "application/json",
    "twitch-eventsub-message-id": messageId,
    "twitch-eventsub-message-timestamp": timestamp,
    "twitch-eventsub-message-signature": `sha256=${await hmacSha256Hex(secret, messageId + timestamp + body)}`,
    "twitch-eventsub-message-type": opts.type ?? "notification",
    ...(opts.subscriptionType ? { "twitch-eventsub-subscription-type": opts.subscriptionType } : {}),
  };
}

/** Slack: v0= HMAC of `v0:{timestamp}:{body}`. */
export async function slackHeaders(secret: string, body: string, timestamp = unixSeconds(), contentType = "json") {
  return {
    "content-type": contentType === "json" ? "application/json" : "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": timestamp,
    "x-slack-signature": `v0=${await hmacSha256Hex(secret, `v0:${timestamp}:${body}`)}`,
  };
}

/** The gateway relay: sha256= HMAC of `{timestamp}.{body}`. */
export async function relayHeaders(secret: string, body: string, timestamp = unixSeconds()) {
  return {
    "content-type": "application/json",
    "x-relay-timestamp": timestamp,
    "x-relay-signature": `sha256=${await hmacSha256Hex(secret, `${timestamp}.${body}`)}`,
  };
}

/** Polls `check` until it returns a value that is not undefined (waitUntil work finishing). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Stripe: `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">` with the endpoint's whsec_ secret. */
export async function stripeHeaders(secret: string, body: string, timestamp = unixSeconds()) {
  return {
    "content-type": "application/json",
    "stripe-signature": `t=${timestamp},v1=${await hmacSha256Hex(secret, `${timestamp}.${body}`)}`,
  };
}

/** A Stripe event envelope around an object, as Stripe posts it to a webhook endpoint. */
export const stripeEvent = (type: string, object: Record<string, unknown>, created = Math.floor(Date.now() / 1000)) =>
  JSON.stringify({
    id: `evt_${crypto.randomUUID().replaceAll("-", "")}`,
    object: "event",
    api_version: "2025-01-01",
    created,
    type,
    data: { object },
  });
