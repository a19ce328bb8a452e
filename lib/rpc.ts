import type { Authenticator } from "./auth/hono.ts";
import type { Platform } from "./db/schema/columns.ts";
import type { ChatEvent, EventOutcome } from "./events/chat-event.ts";

/** A community as a platform knows it: Discord guild id, Twitch broadcaster id, Slack team id. */
export interface CommunityPlatformRef {
  platform: Platform;
  platformId: string;
}

/** A command as listed to users (autocomplete, slash command registration). */
export interface CommandSummary {
  name: string;
  description: string;
}

/**
 * The RPC surfaces of the workers, as seen through a service binding. Declared here, in the
 * shared folder, so no worker imports another worker's code (not even its types).
 */
export interface RouterRpc {
  ping(): Promise<string>;
  /** Process one normalised event; returns what the bot would say. */
  handleEvent(event: ChatEvent): Promise<EventOutcome>;
  /** The commands a community can run (built-ins and its own). */
  listCommands(community: CommunityPlatformRef): Promise<CommandSummary[]>;
}

export interface IdentityRpc extends Authenticator {
  ping(): Promise<string>;
}

export type RouterBinding = Fetcher & RouterRpc;
export type IdentityBinding = Fetcher & IdentityRpc;
