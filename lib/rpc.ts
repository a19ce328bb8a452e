import type { Authenticator } from "./auth/hono.ts";
import type { CommandSummary, CommunityPlatformRef } from "./commands/summary.ts";
import type { ChatEvent, EventOutcome } from "./events/chat-event.ts";

export type { CommandSummary, CommunityPlatformRef };

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
