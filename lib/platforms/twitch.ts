import { apiBase, type PlatformConfig } from "../config.ts";
import { PlatformError, platformFetch, retryAfterHeader } from "./http.ts";
import { type IdKind, safeId } from "./ids.ts";

/** Helix ids go into queries and bodies: held to Twitch's id pattern first (throws PlatformError 400). */
function id(value: string, kind: Extract<IdKind, `twitch${string}`> = "twitch"): string {
  safeId(kind, value);
  return value;
}

type TwitchConfig = PlatformConfig;

// App access tokens last ~60 days; one per isolate is plenty, refreshed a minute early.
let cachedToken: { key: string; token: string; expiresAt: number } | undefined;

/** An app access token (client credentials grant), cached in the isolate until it expires. */
async function appAccessToken(env: TwitchConfig): Promise<string> {
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
function clearAppToken(): void {
  cachedToken = undefined;
}

/**
 * Which token a Helix call carries. The app token (client credentials) by default; endpoints
 * that act as a user (chat as the bot, moderation as the broadcaster, whispers) take that user's
 * token, which renews itself (lib/connections/tokens.ts).
 */
export interface HelixAuth {
  token(): Promise<string>;
  /** A fresh token after a 401. */
  refresh(): Promise<string>;
}

/** A user's token plus whose it is: the id Helix wants as sender_id / moderator_id / from_user_id. */
interface HelixUser extends HelixAuth {
  userId: string;
}

const appAuth = (env: TwitchConfig): HelixAuth => ({
  token: () => appAccessToken(env),
  refresh: () => {
    clearAppToken();
    return appAccessToken(env);
  },
});

/** Calls Helix (with the app token unless `auth` says otherwise); one retry with a fresh token on 401. */
export async function helix(
  env: TwitchConfig,
  method: string,
  path: string,
  body?: unknown,
  auth: HelixAuth = appAuth(env),
): Promise<unknown> {
  let token = await auth.token();
  for (let attempt = 0; attempt < 2; attempt++) {
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
      token = await auth.refresh();
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

/**
 * Helix Send Chat Message as the bot account, with the bot's user token (user:write:chat;
 * sender_id must be the token's user). Without a bot authorisation (the local demo) it falls back
 * to the app token and TWITCH_BOT_USER_ID, which real Twitch accepts only when the bot granted
 * user:bot and the channel channel:bot. https://dev.twitch.tv/docs/api/reference/#send-chat-message
 */
export async function sendChatMessage(
  env: TwitchConfig,
  broadcasterId: string,
  message: string,
  replyTo?: string,
  bot?: HelixUser | null,
) {
  return helix(
    env,
    "POST",
    "/chat/messages",
    {
      broadcaster_id: id(broadcasterId),
      sender_id: id(bot?.userId || env.TWITCH_BOT_USER_ID || broadcasterId),
      message: message.slice(0, 500),
      ...(replyTo ? { reply_parent_message_id: id(replyTo, "twitch-message") } : {}),
    },
    bot ?? undefined,
  );
}

/**
 * Helix Send Whisper from the bot account: a user token with user:manage:whispers whose user is
 * from_user_id. https://dev.twitch.tv/docs/api/reference/#send-whisper
 */
export async function sendWhisper(env: TwitchConfig, toUserId: string, message: string, bot?: HelixUser | null) {
  const from = bot?.userId || env.TWITCH_BOT_USER_ID;
  if (!from) throw new PlatformError("twitch", 0, "the Twitch bot account is not authorised (needed to whisper)");
  const q = new URLSearchParams({ from_user_id: id(from), to_user_id: id(toUserId) });
  return helix(env, "POST", `/whispers?${q}`, { message: message.slice(0, 500) }, bot ?? undefined);
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

/** Deletes an EventSub subscription (app token). https://dev.twitch.tv/docs/api/reference/#delete-eventsub-subscription */
export function deleteEventSubSubscription(env: TwitchConfig, subscriptionId: string) {
  return helix(env, "DELETE", `/eventsub/subscriptions?${new URLSearchParams({ id: subscriptionId })}`);
}

/** Helix caps a timeout at two weeks (https://dev.twitch.tv/docs/api/reference/#ban-user). */
const TWITCH_MAX_TIMEOUT_SEC = 1_209_600;

// Moderation calls (delete a chat message, ban, time out) are made "as" moderator_id. Twitch
// accepts them only with a *user* access token of that account (moderator_id must be the token's
// user) carrying moderator:manage:chat_messages / moderator:manage:banned_users, so a connected
// channel passes the broadcaster's token. Without one (the local demo) the bot id and the app
// token are used, which real Twitch refuses with 401: the caller logs and audits that.
const moderatorId = (env: TwitchConfig, broadcasterId: string, moderator?: HelixUser | null) =>
  moderator?.userId || env.TWITCH_BOT_USER_ID || broadcasterId;

/** Helix Delete Chat Messages, for one message. */
export async function deleteChatMessage(
  env: TwitchConfig,
  broadcasterId: string,
  messageId: string,
  moderator?: HelixUser | null,
) {
  const q = new URLSearchParams({
    broadcaster_id: id(broadcasterId),
    moderator_id: id(moderatorId(env, broadcasterId, moderator)),
    message_id: id(messageId, "twitch-message"),
  });
  return helix(env, "DELETE", `/moderation/chat?${q}`, undefined, moderator ?? undefined);
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
  moderator?: HelixUser | null,
) {
  const q = new URLSearchParams({
    broadcaster_id: id(broadcasterId),
    moderator_id: id(moderatorId(env, broadcasterId, moderator)),
  });
  const duration =
    opts.durationSec === undefined
      ? {}
      : { duration: Math.min(Math.max(1, Math.round(opts.durationSec)), TWITCH_MAX_TIMEOUT_SEC) };
  return helix(
    env,
    "POST",
    `/moderation/bans?${q}`,
    { data: { user_id: id(userId), ...duration, reason: (opts.reason ?? "").slice(0, 500) } },
    moderator ?? undefined,
  );
}
