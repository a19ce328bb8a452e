import { apiBase } from "../config.ts";
import { PlatformError, platformFetch } from "../platforms/http.ts";
import { type ConnectConfig, type Grant, need, type RefreshedTokens, redirectUri } from "./oauth.ts";
import type { ConnectTarget } from "./scopes.ts";

/**
 * The token endpoints of the three platforms: code exchange, Twitch's refresh grant, revocation.
 * Errors are PlatformErrors carrying the platform's own words (the portal shows them).
 */

const form = (values: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(values).toString(),
});

const expiry = (seconds: unknown) =>
  typeof seconds === "number" && seconds > 0 ? new Date(Date.now() + seconds * 1000) : null;

type Body = Record<string, unknown> & { error?: string; message?: string; error_description?: string };

function refused(platform: PlatformError["platform"], res: { status: number; body: unknown }, what: string): never {
  const b = (res.body ?? {}) as Body;
  const why = b.error_description ?? b.message ?? b.error ?? `HTTP ${res.status}`;
  throw new PlatformError(platform, res.status >= 400 ? res.status : 400, `${what}: ${why}`, undefined, b.error);
}

/** Exchanges the callback's code for tokens and the account they belong to. */
export async function exchangeCode(env: ConnectConfig, target: ConnectTarget, code: string): Promise<Grant> {
  const redirect = redirectUri(env, target);
  if (target === "discord") {
    const res = await platformFetch(
      "discord",
      `${apiBase(env, "DISCORD_API_BASE")}/oauth2/token`,
      form({
        grant_type: "authorization_code",
        code,
        redirect_uri: redirect,
        client_id: need(env.DISCORD_APPLICATION_ID, "DISCORD_APPLICATION_ID"),
        client_secret: need(env.DISCORD_CLIENT_SECRET, "DISCORD_CLIENT_SECRET"),
      }),
    );
    const b = res.body as Body & { guild?: { id?: string; name?: string } };
    if (res.status >= 400 || typeof b?.access_token !== "string" || !b.guild?.id) {
      refused("discord", res, "Discord refused the authorisation");
    }
    return {
      accountId: b.guild.id,
      accountName: b.guild.name ?? null,
      accountLogin: null,
      scopes: String(b.scope ?? "")
        .split(" ")
        .filter(Boolean),
      accessToken: b.access_token,
      refreshToken: typeof b.refresh_token === "string" ? b.refresh_token : null,
      expiresAt: expiry(b.expires_in),
      botUserId: null,
    };
  }
  if (target === "slack") {
    const res = await platformFetch(
      "slack",
      `${apiBase(env, "SLACK_API_BASE")}/oauth.v2.access`,
      form({
        code,
        redirect_uri: redirect,
        client_id: need(env.SLACK_CLIENT_ID, "SLACK_CLIENT_ID"),
        client_secret: need(env.SLACK_CLIENT_SECRET, "SLACK_CLIENT_SECRET"),
      }),
    );
    const b = res.body as Body & { team?: { id?: string; name?: string }; bot_user_id?: string };
    if (res.status >= 400 || b?.ok !== true || typeof b.access_token !== "string" || !b.team?.id) {
      refused("slack", res, "Slack refused the installation");
    }
    return {
      accountId: b.team.id,
      accountName: b.team.name ?? null,
      accountLogin: null,
      scopes: String(b.scope ?? "")
        .split(",")
        .filter(Boolean),
      accessToken: b.access_token,
      // Present only when the app has token rotation turned on.
      refreshToken: typeof b.refresh_token === "string" ? b.refresh_token : null,
      expiresAt: expiry(b.expires_in),
      botUserId: b.bot_user_id ?? null,
    };
  }
  const res = await platformFetch(
    "twitch",
    `${apiBase(env, "TWITCH_AUTH_BASE")}/token`,
    form({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirect,
      client_id: need(env.TWITCH_CLIENT_ID, "TWITCH_CLIENT_ID"),
      client_secret: need(env.TWITCH_CLIENT_SECRET, "TWITCH_CLIENT_SECRET"),
    }),
  );
  const b = res.body as Body;
  if (res.status >= 400 || typeof b?.access_token !== "string")
    refused("twitch", res, "Twitch refused the authorisation");
  // Whose token it is: Get Users with no query answers the token's own user.
  const me = await platformFetch("twitch", `${apiBase(env, "TWITCH_API_BASE")}/users`, {
    headers: { authorization: `Bearer ${b.access_token}`, "client-id": env.TWITCH_CLIENT_ID ?? "" },
  });
  const user = (me.body as { data?: { id?: string; login?: string; display_name?: string }[] })?.data?.[0];
  if (me.status >= 400 || !user?.id || !user.login) refused("twitch", me, "Twitch did not say whose token it is");
  return {
    accountId: user.id,
    accountName: user.display_name ?? user.login,
    accountLogin: user.login,
    scopes: Array.isArray(b.scope) ? (b.scope as string[]) : [],
    accessToken: b.access_token,
    refreshToken: typeof b.refresh_token === "string" ? b.refresh_token : null,
    expiresAt: expiry(b.expires_in),
    botUserId: null,
  };
}

/**
 * Twitch's refresh grant (https://dev.twitch.tv/docs/authentication/refresh-tokens/). A 400/401
 * means the grant is gone (the user disconnected the app or changed their password): the caller
 * marks the connection revoked.
 */
export async function refreshTwitch(env: ConnectConfig, refreshToken: string): Promise<RefreshedTokens> {
  const res = await platformFetch(
    "twitch",
    `${apiBase(env, "TWITCH_AUTH_BASE")}/token`,
    form({
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: need(env.TWITCH_CLIENT_ID, "TWITCH_CLIENT_ID"),
      client_secret: need(env.TWITCH_CLIENT_SECRET, "TWITCH_CLIENT_SECRET"),
    }),
  );
  const b = res.body as Body;
  if (res.status >= 400 || typeof b?.access_token !== "string") refused("twitch", res, "Twitch refused the refresh");
  return {
    accessToken: b.access_token,
    refreshToken: typeof b.refresh_token === "string" ? b.refresh_token : refreshToken,
    expiresAt: expiry(b.expires_in),
    ...(Array.isArray(b.scope) ? { scopes: b.scope as string[] } : {}),
  };
}

/** Revokes a grant at the platform. Best effort: the caller removes the link either way. */
export async function revokeAtPlatform(
  env: ConnectConfig,
  platform: "discord" | "twitch" | "slack",
  token: string,
  accountId: string,
): Promise<void> {
  if (platform === "twitch") {
    const res = await platformFetch(
      "twitch",
      `${apiBase(env, "TWITCH_AUTH_BASE")}/revoke`,
      form({ client_id: env.TWITCH_CLIENT_ID ?? "", token }),
    );
    if (res.status >= 400 && res.status !== 400) refused("twitch", res, "Twitch refused the revocation");
    return;
  }
  if (platform === "slack") {
    // auth.revoke with the token itself uninstalls the bot from the workspace.
    const res = await platformFetch("slack", `${apiBase(env, "SLACK_API_BASE")}/auth.revoke`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    const b = res.body as Body;
    if (res.status >= 400 || (b?.ok !== true && b?.error !== "invalid_auth" && b?.error !== "token_revoked")) {
      refused("slack", res, "Slack refused the revocation");
    }
    return;
  }
  // Discord: revoke the installer's grant, then the bot leaves the guild (bot token; the bot is
  // one account for every guild, so leaving is what "disconnect" means there).
  await platformFetch(
    "discord",
    `${apiBase(env, "DISCORD_API_BASE")}/oauth2/token/revoke`,
    form({
      token,
      token_type_hint: "access_token",
      client_id: env.DISCORD_APPLICATION_ID ?? "",
      client_secret: env.DISCORD_CLIENT_SECRET ?? "",
    }),
  );
  if (env.DISCORD_BOT_TOKEN) {
    const res = await platformFetch(
      "discord",
      `${apiBase(env, "DISCORD_API_BASE")}/users/@me/guilds/${encodeURIComponent(accountId)}`,
      { method: "DELETE", headers: { authorization: `Bot ${env.DISCORD_BOT_TOKEN}` } },
    );
    if (res.status >= 400 && res.status !== 404) refused("discord", res, "Discord refused to let the bot leave");
  }
}
