import { apiBase } from "../../../../lib/config.ts";
import type { Platform } from "../../../../lib/db/schema/index.ts";
import { PlatformError, platformFetch } from "../../../../lib/platforms/http.ts";
import type { Env } from "../env.ts";

interface OAuthUser {
  id: string;
  username: string;
}

/**
 * "Log in with …" for one platform: the OAuth 2 authorization-code flow. Token and user
 * endpoints sit on the configurable API bases (tests point them at the fake platform);
 * the authorize pages are the platforms' own, opened by the browser.
 */
interface OAuthProvider {
  /** The client credentials, or null when the platform's login is not configured. */
  client(env: Env): { id: string; secret: string } | null;
  authorizeUrl(env: Env, clientId: string, redirectUri: string, state: string): string;
  exchange(env: Env, client: { id: string; secret: string }, code: string, redirectUri: string): Promise<string>;
  user(env: Env, accessToken: string, clientId: string): Promise<OAuthUser>;
}

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

function token(platform: Platform, res: { status: number; body: unknown }): string {
  const body = res.body as { access_token?: string; ok?: boolean } | undefined;
  if (res.status >= 400 || !body?.access_token || body.ok === false) {
    throw new PlatformError(platform, res.status || 502, `${platform} refused the authorization code`);
  }
  return body.access_token;
}

const discord: OAuthProvider = {
  client: (env) =>
    env.DISCORD_APPLICATION_ID && env.DISCORD_CLIENT_SECRET
      ? { id: env.DISCORD_APPLICATION_ID, secret: env.DISCORD_CLIENT_SECRET }
      : null,
  authorizeUrl: (_env, clientId, redirectUri, state) =>
    `https://discord.com/oauth2/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: "code", scope: "identify", state })}`,
  async exchange(env, client, code, redirectUri) {
    const res = await platformFetch(
      "discord",
      `${apiBase(env, "DISCORD_API_BASE")}/oauth2/token`,
      form({
        grant_type: "authorization_code",
        code,
        redirect_uri: redirectUri,
        client_id: client.id,
        client_secret: client.secret,
      }),
    );
    return token("discord", res);
  },
  async user(env, accessToken) {
    const res = await platformFetch("discord", `${apiBase(env, "DISCORD_API_BASE")}/users/@me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const body = res.body as { id?: string; username?: string };
    if (res.status >= 400 || !body?.id) throw new PlatformError("discord", res.status || 502, "no Discord user");
    return { id: body.id, username: body.username ?? body.id };
  },
};

const twitch: OAuthProvider = {
  client: (env) =>
    env.TWITCH_CLIENT_ID && env.TWITCH_CLIENT_SECRET
      ? { id: env.TWITCH_CLIENT_ID, secret: env.TWITCH_CLIENT_SECRET }
      : null,
  authorizeUrl: (env, clientId, redirectUri, state) =>
    `${apiBase(env, "TWITCH_AUTH_BASE")}/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, response_type: "code", scope: "", state })}`,
  async exchange(env, client, code, redirectUri) {
    const res = await platformFetch(
      "twitch",
      `${apiBase(env, "TWITCH_AUTH_BASE")}/token`,
      form({
        client_id: client.id,
        client_secret: client.secret,
        code,
        grant_type: "authorization_code",
        redirect_uri: redirectUri,
      }),
    );
    return token("twitch", res);
  },
  async user(env, accessToken, clientId) {
    const res = await platformFetch("twitch", `${apiBase(env, "TWITCH_API_BASE")}/users`, {
      headers: { authorization: `Bearer ${accessToken}`, "client-id": clientId },
    });
    const user = (res.body as { data?: { id: string; login: string }[] })?.data?.[0];
    if (res.status >= 400 || !user) throw new PlatformError("twitch", res.status || 502, "no Twitch user");
    return { id: user.id, username: user.login };
  },
};

const slack: OAuthProvider = {
  client: (env) =>
    env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET
      ? { id: env.SLACK_CLIENT_ID, secret: env.SLACK_CLIENT_SECRET }
      : null,
  authorizeUrl: (_env, clientId, redirectUri, state) =>
    `https://slack.com/openid/connect/authorize?${new URLSearchParams({ response_type: "code", scope: "openid profile", client_id: clientId, redirect_uri: redirectUri, state })}`,
  async exchange(env, client, code, redirectUri) {
    const res = await platformFetch(
      "slack",
      `${apiBase(env, "SLACK_API_BASE")}/openid.connect.token`,
      form({ client_id: client.id, client_secret: client.secret, code, redirect_uri: redirectUri }),
    );
    return token("slack", res);
  },
  async user(env, accessToken) {
    const res = await platformFetch("slack", `${apiBase(env, "SLACK_API_BASE")}/openid.connect.userInfo`, {
      method: "POST",
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const body = res.body as { ok?: boolean; "https://slack.com/user_id"?: string; name?: string };
    const id = body?.["https://slack.com/user_id"];
    if (res.status >= 400 || !body?.ok || !id) throw new PlatformError("slack", res.status || 502, "no Slack user");
    return { id, username: body.name ?? id };
  },
};

export const PROVIDERS: Record<Platform, OAuthProvider> = { discord, twitch, slack };
