import type { RuntimeConfig } from "../config.ts";
import type { SecretBoxConfig } from "../crypto/secret-box.ts";

/** The settings the Spotify module reads (router: connect/callback; modules worker: commands, polling). */
export interface SpotifyConfig extends RuntimeConfig, SecretBoxConfig {
  /** The Spotify app's client id (developer.spotify.com dashboard); unset: Spotify cannot be connected. */
  SPOTIFY_CLIENT_ID?: string;
  /** Optional: with it the token calls also authenticate the app (a confidential client); PKCE is used either way. */
  SPOTIFY_CLIENT_SECRET?: string;
  /** Web API base including `/v1` (default https://api.spotify.com/v1; tests: the local fake). */
  SPOTIFY_API_BASE?: string;
  /** Accounts service origin with /authorize and /api/token (default https://accounts.spotify.com). */
  SPOTIFY_ACCOUNTS_BASE?: string;
}

export interface SpotifyEnv extends SpotifyConfig {
  DB: D1Database;
}

/**
 * The scopes asked for: read what plays (`!song`, the overlay), add to the queue and skip.
 * Search and /me need none. https://developer.spotify.com/documentation/web-api/concepts/scopes
 */
export const SPOTIFY_SCOPES = [
  "user-read-currently-playing",
  "user-read-playback-state",
  "user-modify-playback-state",
] as const;

const trim = (s: string) => s.replace(/\/+$/, "");
export const apiBase = (env: SpotifyConfig) => trim(env.SPOTIFY_API_BASE || "https://api.spotify.com/v1");
export const accountsBase = (env: SpotifyConfig) => trim(env.SPOTIFY_ACCOUNTS_BASE || "https://accounts.spotify.com");

/** A Spotify call that failed: `status` 0 for a network failure or a missing setting. */
export class SpotifyError extends Error {
  readonly status: number;
  /** Spotify's reason where it names one (`NO_ACTIVE_DEVICE`, `PREMIUM_REQUIRED`, `invalid_grant`). */
  readonly reason?: string;
  constructor(status: number, message: string, reason?: string) {
    super(message);
    this.name = "SpotifyError";
    this.status = status;
    this.reason = reason;
  }
}

export function clientId(env: SpotifyConfig): string {
  if (!env.SPOTIFY_CLIENT_ID) throw new SpotifyError(0, "SPOTIFY_CLIENT_ID is not set");
  return env.SPOTIFY_CLIENT_ID;
}
