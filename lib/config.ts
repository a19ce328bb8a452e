import type { SecretBoxConfig } from "./crypto/secret-box.ts";

/**
 * Every setting WaddleBot reads, one name each (DESIGN.md, "Contracts"). Locally they come
 * from `.dev.vars`; in production from `wrangler secret put`. `.dev.vars.example` lists them.
 */
export interface PlatformConfig extends RuntimeConfig, SecretBoxConfig {
  DISCORD_PUBLIC_KEY?: string;
  DISCORD_APPLICATION_ID?: string;
  DISCORD_BOT_TOKEN?: string;
  TWITCH_CLIENT_ID?: string;
  TWITCH_CLIENT_SECRET?: string;
  TWITCH_EVENTSUB_SECRET?: string;
  /** The bot account's Twitch user id: chat messages and whispers are sent as it. */
  TWITCH_BOT_USER_ID?: string;
  SLACK_SIGNING_SECRET?: string;
  SLACK_BOT_TOKEN?: string;
  RELAY_SHARED_SECRET?: string;
  DISCORD_API_BASE?: string;
  TWITCH_API_BASE?: string;
  TWITCH_AUTH_BASE?: string;
  SLACK_API_BASE?: string;
}

export interface BootstrapConfig {
  ADMIN_EMAIL?: string;
  ADMIN_PASSWORD?: string;
  DEMO_DISCORD_GUILD_ID?: string;
  DEMO_TWITCH_BROADCASTER_ID?: string;
  DEMO_SLACK_TEAM_ID?: string;
}

/** The identity worker's own settings (portal login, sessions, OAuth). All optional. */
export interface IdentityConfig {
  /** The portal's public origin (redirect URIs, reset links, CSRF Origin check). Default http://127.0.0.1:8787. */
  PUBLIC_URL?: string;
  /** Sliding session lifetime in seconds (default 3600). */
  SESSION_TTL_SECONDS?: string;
  /** "Login with Discord": the client id is DISCORD_APPLICATION_ID. */
  DISCORD_CLIENT_SECRET?: string;
  /** "Sign in with Slack" (OpenID Connect). */
  SLACK_CLIENT_ID?: string;
  SLACK_CLIENT_SECRET?: string;
  /** Outgoing mail (password resets, invites) over SMTP; unset: the local dev mailbox, or 503 when deployed. */
  SMTP_HOST?: string;
  /** Default 587 (STARTTLS); 465 means implicit TLS. */
  SMTP_PORT?: string;
  SMTP_USER?: string;
  SMTP_PASSWORD?: string;
  /** The From address of that mail, e.g. "WaddleBot <bot@example.com>" or "bot@example.com". */
  SMTP_FROM?: string;
  /** The first name of SMTP_FROM, still read when SMTP_FROM is unset. */
  EMAIL_FROM?: string;
}

/**
 * Where this copy runs. `local` (set by `npm start` through `.dev.vars` and by the test suite)
 * unlocks development conveniences such as loopback module servers; anything else, including
 * unset, is treated as a deployed worker, so a production deploy is strict by default.
 */
export interface RuntimeConfig {
  WADDLEBOT_ENV?: string;
  /**
   * `true`: module and moderation-webhook calls may reach loopback (localhost, 127.0.0.0/8,
   * ::1) over http, for local module servers. Honoured only with WADDLEBOT_ENV=local.
   */
  ALLOW_LOOPBACK_OUTBOUND?: string;
}

/** True only where `WADDLEBOT_ENV=local`: `npm start`, the test suite. Deployed = strict. */
export function isLocal(env: RuntimeConfig): boolean {
  return env.WADDLEBOT_ENV === "local";
}

/** The platforms' real API bases; tests point the variables at a local fake instead. */
export const DEFAULT_API_BASES = {
  DISCORD_API_BASE: "https://discord.com/api/v10",
  TWITCH_API_BASE: "https://api.twitch.tv/helix",
  TWITCH_AUTH_BASE: "https://id.twitch.tv/oauth2",
  SLACK_API_BASE: "https://slack.com/api",
} as const;

export function apiBase(env: PlatformConfig, name: keyof typeof DEFAULT_API_BASES): string {
  return (env[name] || DEFAULT_API_BASES[name]).replace(/\/+$/, "");
}
