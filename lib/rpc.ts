import type { Authenticator } from "./auth/hono.ts";
import type { ChatEvent, EventOutcome } from "./events/chat-event.ts";

/**
 * The RPC surfaces of the workers, as seen through a service binding. Declared here, in the
 * shared folder, so no worker imports another worker's code (not even its types).
 */
export interface RouterRpc {
  ping(): Promise<string>;
  /** Process one normalised event; returns what the bot would say. */
  handleEvent(event: ChatEvent): Promise<EventOutcome>;
}

export interface IdentityRpc extends Authenticator {
  ping(): Promise<string>;
}

export type RouterBinding = Fetcher & RouterRpc;
export type IdentityBinding = Fetcher & IdentityRpc;
