/**
 * Every setting WaddleBot reads, one name each (DESIGN.md, "Contracts"). Locally they come
 * from `.dev.vars`; in production from `wrangler secret put`. `.dev.vars.example` lists them.
 */
export interface PlatformConfig {
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
