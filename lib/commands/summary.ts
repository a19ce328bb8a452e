import type { Platform } from "../db/schema/columns.ts";

/** A community as a platform knows it: Discord guild id, Twitch broadcaster id, Slack team id. */
export interface CommunityPlatformRef {
  platform: Platform;
  platformId: string;
}

/** A command as listed to users (Discord autocomplete, slash command registration). */
export interface CommandSummary {
  name: string;
  description: string;
}
