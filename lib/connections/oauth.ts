import { apiBase, DEFAULT_API_BASES, isLocal, type PlatformConfig } from "../config.ts";
import { PlatformError } from "../platforms/http.ts";
import { type ConnectTarget, DISCORD_PERMISSIONS, SCOPES } from "./scopes.ts";

/** Settings the connect flows read, beyond the platform ones. */
export interface ConnectConfig extends PlatformConfig {
  /** The router's public origin; OAuth redirect URLs hang off it. Falls back to PUBLIC_URL. */
  PUBLIC_BASE_URL?: string;
  PUBLIC_URL?: string;
  DISCORD_CLIENT_SECRET?: string;
  SLACK_CLIENT_ID?: string;
  SLACK_CLIENT_SECRET?: string;
}

/** What a platform granted: the account and its tokens (plaintext: sealed before storing). */
export interface Grant {
  accountId: string;
  accountName: string | null;
  accountLogin: string | null;
  scopes: string[];
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  botUserId: string | null;
}

export interface RefreshedTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  scopes?: string[];
}

/**
 * The router's public origin. PUBLIC_BASE_URL names it; PUBLIC_URL (the identity worker's portal
 * origin) is the same origin in every layout WaddleBot ships (the router serves the portal), so it
 * is the fallback. Locally both default to http://127.0.0.1:8787; a deployed worker must set one.
 */
export function publicBaseUrl(env: ConnectConfig): string {
  const url = env.PUBLIC_BASE_URL || env.PUBLIC_URL || (isLocal(env) ? "http://127.0.0.1:8787" : "");
  if (!url) throw new PlatformError("discord", 0, "PUBLIC_BASE_URL is not set");
  return url.replace(/\/+$/, "");
}

/** `twitch_bot` travels in URLs as `twitch-bot`. */
const targetSlug = (t: ConnectTarget) => (t === "twitch_bot" ? "twitch-bot" : t);

export function redirectUri(env: ConnectConfig, target: ConnectTarget): string {
  return `${publicBaseUrl(env)}/connect/${targetSlug(target)}/callback`;
}

/**
 * The platforms' authorize pages. They are not under the API bases in production (discord.com/
 * oauth2, slack.com/oauth/v2, id.twitch.tv/oauth2); with a non-default base (the test fake) the
 * page is looked for under that base, so a test can walk the whole flow.
 */
function authorizePage(env: PlatformConfig, target: ConnectTarget): string {
  if (target === "discord") {
    const base = apiBase(env, "DISCORD_API_BASE");
    return base === DEFAULT_API_BASES.DISCORD_API_BASE
      ? "https://discord.com/oauth2/authorize"
      : `${base}/oauth2/authorize`;
  }
  if (target === "slack") {
    const base = apiBase(env, "SLACK_API_BASE");
    return base === DEFAULT_API_BASES.SLACK_API_BASE
      ? "https://slack.com/oauth/v2/authorize"
      : `${base}/oauth/v2/authorize`;
  }
  return `${apiBase(env, "TWITCH_AUTH_BASE")}/authorize`;
}

export function need(value: string | undefined, name: string): string {
  if (!value) throw new PlatformError("discord", 0, `${name} is not set`);
  return value;
}

/** Where the browser goes to grant WaddleBot access (state is single use, see oauth-state). */
export function authorizeUrl(env: ConnectConfig, target: ConnectTarget, state: string): string {
  const scopes = Object.keys(SCOPES[target]);
  const common = { redirect_uri: redirectUri(env, target), state, response_type: "code" };
  let q: Record<string, string>;
  if (target === "discord") {
    q = {
      ...common,
      client_id: need(env.DISCORD_APPLICATION_ID, "DISCORD_APPLICATION_ID"),
      scope: scopes.join(" "),
      permissions: DISCORD_PERMISSIONS.toString(),
    };
  } else if (target === "slack") {
    // Slack separates bot scopes with commas.
    q = { ...common, client_id: need(env.SLACK_CLIENT_ID, "SLACK_CLIENT_ID"), scope: scopes.join(",") };
  } else {
    // force_verify: the owner may be signed in to Twitch as someone else (the bot vs. the channel).
    q = {
      ...common,
      client_id: need(env.TWITCH_CLIENT_ID, "TWITCH_CLIENT_ID"),
      scope: scopes.join(" "),
      force_verify: "true",
    };
  }
  return `${authorizePage(env, target)}?${new URLSearchParams(q)}`;
}
