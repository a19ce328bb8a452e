/**
 * The rules real platforms apply to the tokens they issued (see fake-oauth.ts for the list):
 * an answer refusing the call, or null when the platform would allow it.
 */
import type { Answer, FakeOAuth } from "./fake-oauth.ts";

/** Which scope a Helix call as a user needs, and which query/body field names the user. */
const HELIX_AS_USER: { match: (m: string, p: string) => boolean; scope: string; actor: string }[] = [
  { match: (m, p) => m === "POST" && p === "/helix/chat/messages", scope: "user:write:chat", actor: "sender_id" },
  {
    match: (m, p) => m === "POST" && p === "/helix/moderation/bans",
    scope: "moderator:manage:banned_users",
    actor: "moderator_id",
  },
  {
    match: (m, p) => m === "DELETE" && p === "/helix/moderation/chat",
    scope: "moderator:manage:chat_messages",
    actor: "moderator_id",
  },
  {
    match: (m, p) => m === "POST" && p === "/helix/chat/shoutouts",
    scope: "moderator:manage:shoutouts",
    actor: "moderator_id",
  },
  { match: (m, p) => m === "POST" && p === "/helix/whispers", scope: "user:manage:whispers", actor: "from_user_id" },
];

const unauthorized = (message: string): Answer => ({
  status: 401,
  body: { error: "Unauthorized", status: 401, message },
});

/** The platform's refusal of a call with this token, or null when it is allowed. */
export function checkToken(
  oauth: FakeOAuth,
  method: string,
  path: string,
  search: URLSearchParams,
  body: Record<string, unknown>,
  headers: Record<string, string>,
): Answer | null {
  const token = oauth.bearer(headers);
  const info = token ? oauth.tokens.get(token) : undefined;
  if (path.startsWith("/helix/")) {
    if (info && (info.revoked || info.expiresAt <= Date.now())) return unauthorized("Invalid OAuth token");
    if (path === "/helix/eventsub/subscriptions" && method === "POST" && info && info.kind !== "app") {
      return { status: 400, body: { status: 400, message: "invalid transport and auth combination" } };
    }
    const rule = HELIX_AS_USER.find((r) => r.match(method, path));
    if (!rule) return null;
    const actor = String(search.get(rule.actor) ?? body[rule.actor] ?? "");
    const checked = oauth.twitchGrants.has(actor) || info?.kind === "user";
    if (!checked) return null;
    if (rule.actor === "sender_id" && info?.kind === "app") {
      // Send Chat Message with an app token: the sender granted user:bot, the channel channel:bot.
      const broadcaster = String(body.broadcaster_id ?? "");
      const ok =
        oauth.twitchGrants.get(actor)?.includes("user:bot") &&
        oauth.twitchGrants.get(broadcaster)?.includes("channel:bot");
      return ok ? null : unauthorized("Missing user:bot or channel:bot authorization for an app access token");
    }
    if (info?.kind !== "user") return unauthorized(`${path.slice(6)} requires a user access token`);
    if (info.userId !== actor)
      return unauthorized(`The ID in ${rule.actor} must match the user ID found in the request's OAuth token`);
    if (!info.scopes.includes(rule.scope)) return unauthorized(`Missing scope: ${rule.scope}`);
    return null;
  }
  if (path.startsWith("/slack/") && !path.startsWith("/slack/oauth") && !path.startsWith("/slack/openid")) {
    if (info?.revoked) return { status: 200, body: { ok: false, error: "token_revoked" } };
    const channel = typeof body.channel === "string" ? body.channel : undefined;
    const owner = channel ? oauth.slackChannels.get(channel) : undefined;
    if (owner && info?.team?.id !== owner) return { status: 200, body: { ok: false, error: "channel_not_found" } };
    return null;
  }
  return null;
}
