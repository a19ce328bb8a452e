import { PlatformError } from "./http.ts";

/**
 * The shape of each platform's ids. Ids reach REST paths and queries from chat events, the
 * relay and stored rows; an id like `1/../../guilds/2/bans/3` or `1?with_counts=true` would
 * otherwise re-route a call made with the bot's token. Checked, then URL-encoded anyway.
 */
export const ID_PATTERNS = {
  /** Snowflakes: 64-bit integers as decimal strings (https://discord.com/developers/docs/reference#snowflakes). */
  discord: /^\d{1,20}$/,
  /** Interaction tokens: opaque, URL-safe. */
  "discord-token": /^[A-Za-z0-9._-]{1,1000}$/,
  /** Helix user and broadcaster ids are numeric strings. */
  twitch: /^\d{1,20}$/,
  /** Helix chat message ids are UUIDs. */
  "twitch-message": /^[A-Za-z0-9-]{1,64}$/,
} as const;

export type IdKind = keyof typeof ID_PATTERNS;

/** The id, URL-encoded, or a non-retryable PlatformError (400) when it does not fit the pattern. */
export function safeId(kind: IdKind, value: string): string {
  if (typeof value !== "string" || !ID_PATTERNS[kind].test(value)) {
    const platform = kind.startsWith("discord") ? "discord" : "twitch";
    throw new PlatformError(platform, 400, `refused: not a valid ${kind} id`);
  }
  return encodeURIComponent(value);
}

/** A tagged template for REST paths whose every placeholder is a Discord snowflake. */
export function discordPath(strings: TemplateStringsArray, ...ids: string[]): string {
  return strings.reduce((out, s, i) => out + s + (i < ids.length ? safeId("discord", ids[i]!) : ""), "");
}
