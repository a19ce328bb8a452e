import { verifyKey } from "discord-interactions";
import { ed25519PublicKey } from "../../../lib/crypto/ed25519.ts";
import { verifyHmacSha256Hex } from "../../../lib/crypto/hmac.ts";
import { Forbidden, Unauthorized } from "../../../lib/http/errors.ts";

/**
 * Signature and freshness checks, one per platform, each exactly as the platform signs.
 * All run on the raw body before anything parses it. Failures say only what failed, never why
 * a signature differs.
 */

const seconds = (value: string | undefined): number | null =>
  value && /^\d{1,12}$/.test(value) ? Number(value) : null;

/**
 * Discord: Ed25519 over timestamp + body with the application's public key
 * (https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers).
 * `verifyKey` is async: un-awaited, its Promise is truthy and every forgery would pass.
 * Discord does not state a freshness window; five minutes either way refuses replays.
 */
export async function verifyDiscord(
  publicKey: string | undefined,
  headers: Headers,
  body: string,
  nowMs = Date.now(),
): Promise<void> {
  const signature = headers.get("x-signature-ed25519");
  const timestamp = headers.get("x-signature-timestamp") ?? undefined;
  if (!publicKey || !signature || !timestamp) throw new Unauthorized("Missing signature");
  // Imported once per isolate: `verifyKey` given the hex string imports it on every interaction.
  const key = await ed25519PublicKey(publicKey, "hex").catch(() => null);
  if (!key) throw new Unauthorized("Invalid request signature");
  const valid = await verifyKey(body, signature, timestamp, key);
  if (!valid) throw new Unauthorized("Invalid request signature");
  const ts = seconds(timestamp);
  if (ts === null || Math.abs(nowMs / 1000 - ts) > 300) throw new Unauthorized("Stale request timestamp");
}

/**
 * Twitch EventSub: HMAC-SHA256 of message id + timestamp + body, hex with a `sha256=` prefix;
 * messages older than 10 minutes are refused
 * (https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message).
 */
export async function verifyTwitch(secret: string | undefined, headers: Headers, body: string, nowMs = Date.now()) {
  const id = headers.get("twitch-eventsub-message-id");
  const timestamp = headers.get("twitch-eventsub-message-timestamp");
  const signature = headers.get("twitch-eventsub-message-signature");
  if (!secret || !id || !timestamp || !signature?.startsWith("sha256=")) throw new Forbidden("Missing signature");
  const valid = await verifyHmacSha256Hex(secret, id + timestamp + body, signature.slice("sha256=".length));
  if (!valid) throw new Forbidden("Invalid request signature");
  const at = Date.parse(timestamp);
  if (!Number.isFinite(at) || nowMs - at > 10 * 60_000 || at - nowMs > 10 * 60_000) {
    throw new Forbidden("Stale message timestamp");
  }
  return { messageId: id };
}

/**
 * Slack: `v0=` + HMAC-SHA256 hex of `v0:{timestamp}:{body}` with the signing secret; the
 * timestamp within five minutes either way (https://api.slack.com/authentication/verifying-requests-from-slack).
 */
export async function verifySlack(secret: string | undefined, headers: Headers, body: string, nowMs = Date.now()) {
  const signature = headers.get("x-slack-signature");
  const timestamp = headers.get("x-slack-request-timestamp") ?? undefined;
  if (!secret || !signature?.startsWith("v0=") || !timestamp) throw new Unauthorized("Missing signature");
  const ts = seconds(timestamp);
  if (ts === null || Math.abs(nowMs / 1000 - ts) > 300) throw new Unauthorized("Stale request timestamp");
  const valid = await verifyHmacSha256Hex(secret, `v0:${timestamp}:${body}`, signature.slice(3));
  if (!valid) throw new Unauthorized("Invalid request signature");
}

/**
 * The gateway relay: `sha256=` + HMAC-SHA256 hex of `{timestamp}.{body}` with
 * RELAY_SHARED_SECRET, in `X-Relay-Signature`; `X-Relay-Timestamp` in unix seconds, within
 * five minutes either way (see gateway-relay/README.md).
 */
export async function verifyRelay(secret: string | undefined, headers: Headers, body: string, nowMs = Date.now()) {
  const signature = headers.get("x-relay-signature");
  const timestamp = headers.get("x-relay-timestamp") ?? undefined;
  if (!secret || !signature?.startsWith("sha256=") || !timestamp) throw new Unauthorized("Missing signature");
  const ts = seconds(timestamp);
  if (ts === null || Math.abs(nowMs / 1000 - ts) > 300) throw new Unauthorized("Stale request timestamp");
  const valid = await verifyHmacSha256Hex(secret, `${timestamp}.${body}`, signature.slice("sha256=".length));
  if (!valid) throw new Unauthorized("Invalid request signature");
}
