import { apiBase, type PlatformConfig } from "../config.ts";
import { PlatformError, platformFetch, retryAfterHeader } from "./http.ts";
import { type IdKind, safeId } from "./ids.ts";

/** Helix ids go into queries and bodies: held to Twitch's id pattern first (throws PlatformError 400). */
function id(value: string, kind: Extract<IdKind, `twitch${string}`> = "twitch"): string {
  safeId(kind, value);
  return value;
}

export type TwitchConfig = PlatformConfig;

// App access tokens last ~60 days; one per isolate is plenty, refreshed a minute early.
let cachedToken: { key: string; token: string; expiresAt: number } | undefined;

/** An app access token (client credentials grant), cached in the isolate until it expires. */
export async function appAccessToken(env: TwitchConfig): Promise<string> {
  if (!env.TWITCH_CLIENT_ID || !env.TWITCH_CLIENT_SECRET) {
    throw new PlatformError("twitch", 0, "TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET must be set");
  }
  const key = `${apiBase(env, "TWITCH_AUTH_BASE")}|${env.TWITCH_CLIENT_ID}`;
  if (cachedToken && cachedToken.key === key && cachedToken.expiresAt > Date.now()) return cachedToken.token;
  const form = new URLSearchParams({
    client_id: env.TWITCH_CLIENT_ID,
    client_secret: env.TWITCH_CLIENT_SECRET,
    grant_type: "client_credentials",
  });
  const res = await platformFetch("twitch", `${apiBase(env, "TWITCH_AUTH_BASE")}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  const body = res.body as { access_token?: string; expires_in?: number };
  if (res.status >= 400 || !body?.access_token) throw new PlatformError("twitch", res.status || 502, "no app token");
  cachedToken = { key, token: body.access_token, expiresAt: Date.now() + ((body.expires_in ?? 3600) - 60) * 1000 };
  return body.access_token;
}

/** Forgets the cached app token (after a 401, or between tests). */
export function clearAppToken(): void {
  cachedToken = undefined;
}

/** Calls Helix with the app token; one retry with a fresh token on 401. */
export async function helix(env: TwitchConfig, method: string, path: string, body?: unknown): Promise<unknown> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const token = await appAccessToken(env);
    const res = await platformFetch("twitch", `${apiBase(env, "TWITCH_API_BASE")}${path}`, {
      method,
      headers: {
        "client-id": env.TWITCH_CLIENT_ID ?? "",
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 401 && attempt === 0) {
      clearAppToken();
      continue;
    }
    if (res.status === 429) {
      // Helix says when the bucket refills as an epoch-seconds Ratelimit-Reset header.
      const reset = Number(res.headers.get("ratelimit-reset"));
      const wait = Number.isFinite(reset) && reset > 0 ? reset * 1000 - Date.now() : retryAfterHeader(res.headers);
      throw new PlatformError("twitch", 429, "rate limited by Twitch", Math.max(0, wait ?? 1000));
    }
    if (res.status >= 400) throw new PlatformError("twitch", res.status, `Helix ${path} answered ${res.status}`);
    return res.body;
  }
  throw new PlatformError("twitch", 401, "Helix refused the app token");
}

/** Helix Send Chat Message, as the bot account (or the broadcaster when no bot id is set). */
export async function sendChatMessage(env: TwitchConfig, broadcasterId: string, message: string, replyTo?: string) {
  return helix(env, "POST", "/chat/messages", {
    broadcaster_id: id(broadcasterId),
    sender_id: id(env.TWITCH_BOT_USER_ID || broadcasterId),
    message: message.slice(0, 500),
    ...(replyTo ? { reply_parent_message_id: id(replyTo, "twitch-message") } : {}),
  });
}

/** Helix Send Whisper from the bot account to a user. */
export async function sendWhisper(env: TwitchConfig, toUserId: string, message: string, fromUserId?: string) {
  const from = fromUserId || env.TWITCH_BOT_USER_ID;
  if (!from) throw new PlatformError("twitch", 0, "TWITCH_BOT_USER_ID is needed to whisper");
  const q = new URLSearchParams({ from_user_id: id(from), to_user_id: id(toUserId) });
  return helix(env, "POST", `/whispers?${q}`, { message: message.slice(0, 500) });
}

/** Creates an EventSub webhook subscription. */
export function createEventSubSubscription(
  env: TwitchConfig,
  sub: { type: string; version: string; condition: Record<string, string>; callback: string; secret: string },
) {
  return helix(env, "POST", "/eventsub/subscriptions", {
    type: sub.type,
    version: sub.version,
    condition: sub.condition,
    transport: { method: "webhook", callback: sub.callback, secret: sub.secret },
  });
}

/** Helix caps a timeout at two weeks (https://dev.twitch.tv/docs/api/reference/#ban-user). */
export const TWITCH_MAX_TIMEOUT_SEC = 1_209_600;

// Moderation calls (delete a chat message, ban, time out) are made "as" moderator_id: the bot
// account, or the broadcaster when no bot id is set. Real Twitch only accepts them with a
// *user* access token of that account carrying moderator:manage:chat_messages and
// moderator:manage:banned_users; with the app token `helix` uses, Twitch answers 401/403 and
// the call fails as a PlatformError, which the caller logs and audits.
const moderatorId = (env: TwitchConfig, broadcasterId: string) => env.TWITCH_BOT_USER_ID || broadcasterId;

/** Helix Delete Chat Messages, for one message. */
export async function deleteChatMessage(env: TwitchConfig, broadcasterId: string, messageId: string) {
  const q = new URLSearchParams({
    broadcaster_id: id(broadcasterId),
    moderator_id: id(moderatorId(env, broadcasterId)),
    message_id: id(messageId, "twitch-message"),
  });
  return helix(env, "DELETE", `/moderation/chat?${q}`);
}

/**
 * Helix Ban User: with `durationSec` a timeout (1 s to two weeks, clamped), without it a
 * permanent ban, so a caller meaning "timeout" must always pass a duration.
 */
export async function banUser(
  env: TwitchConfig,
  broadcasterId: string,
  userId: string,
  opts: { durationSec?: number; reason?: string } = {},
) {
  const q = new URLSearchParams({
    broadcaster_id: id(broadcasterId),
    moderator_id: id(moderatorId(env, broadcasterId)),
  });
  const duration =
    opts.durationSec === undefined
      ? {}
      : { duration: Math.min(Math.max(1, Math.round(opts.durationSec)), TWITCH_MAX_TIMEOUT_SEC) };
  return helix(env, "POST", `/moderation/bans?${q}`, {
    data: { user_id: id(userId), ...duration, reason: (opts.reason ?? "").slice(0, 500) },
  });
}
