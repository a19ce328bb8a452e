import type { Authenticator } from "./auth/hono.ts";
import type { CommandSummary, CommunityPlatformRef } from "./commands/summary.ts";
import type { DeliveryRequest } from "./delivery/request.ts";
import type { DeliveryResult } from "./delivery/service.ts";
import type { ChatEvent, EventOutcome } from "./events/chat-event.ts";

export type { CommandSummary, CommunityPlatformRef };

/**
 * What the webhooks worker already knows about an event it hands on: the community it resolved
 * (so the router does not resolve it again). Passing it also says the event was built by
 * ChatEventSchema on the webhooks side, so the router skips its own parse (see handleEvent).
 */
export interface ResolvedEvent {
  communityId: string;
}

/**
 * Releases an RPC result at once and hands it back: its plain data stays readable. workerd
 * keeps every result's pipeline alive until it is disposed and warns ("An RPC result was not
 * disposed properly") when the GC has to do it; `using` needs a Disposable type, which our
 * shared RPC interfaces do not declare, so call sites wrap the awaited result in this.
 */
export function released<T>(result: T): T {
  if (result !== null && typeof result === "object") (result as Partial<Disposable>)[Symbol.dispose]?.();
  return result;
}

/**
 * The RPC surfaces of the workers, as seen through a service binding. Declared here, in the
 * shared folder, so no worker imports another worker's code (not even its types).
 */
export interface RouterRpc {
  ping(): Promise<string>;
  /**
   * Process one normalised event; returns what the bot would say. With `resolved` (the webhooks
   * worker) the community is not looked up again and the event is not parsed again.
   */
  handleEvent(event: ChatEvent, resolved?: ResolvedEvent): Promise<EventOutcome>;
  /** The commands a community can run (built-ins and its own). */
  listCommands(community: CommunityPlatformRef): Promise<CommandSummary[]>;
}

/** A chat account as the router sees it on an event (platform user id + display username). */
export interface ChatIdentity {
  platform: "discord" | "twitch" | "slack";
  platformUserId: string;
  username: string;
}

/** What the bot should answer in chat. `ok: false` is a refusal, worded for the user. */
export interface LinkReply {
  ok: boolean;
  message: string;
}

export type { AuthResult } from "./auth/hono.ts";

export interface IdentityRpc extends Authenticator {
  ping(): Promise<string>;
  /** `!identity link <platform> <username>`: sends a code by whisper/DM to that account. */
  startLink(
    from: ChatIdentity,
    target: { platform: ChatIdentity["platform"]; username: string },
    /** Where it was typed, "<platform>:<community platform id>": link requests are limited per community. */
    context?: { community?: string },
  ): Promise<LinkReply>;
  /** `!verify <CODE>`, typed by the identity that asked (it read the code in the target's DMs). */
  verifyLink(from: ChatIdentity, code: string): Promise<LinkReply>;
  /** `!identity unlink <platform>`. */
  unlink(from: ChatIdentity, platform: ChatIdentity["platform"]): Promise<LinkReply>;
  /** `!identity`: the caller's linked accounts. */
  listLinks(from: ChatIdentity): Promise<LinkReply>;
  /** The identity worker's OpenAPI document, merged into the router's. */
  openapiDocument(): Promise<Record<string, unknown>>;
}

/**
 * The webhooks worker's `DeliveryService` (binding `DELIVERY`): the one way out for anything that
 * speaks without an incoming event. `request` is a DeliveryRequest (lib/delivery/request.ts),
 * validated on arrival; the result says sent, queued, invalid, refused or failed.
 */
export interface DeliveryRpc {
  /** Health checks of the workers that bind it. */
  ping(): Promise<string>;
  send(request: DeliveryRequest): Promise<DeliveryResult>;
}

export type RouterBinding = Fetcher & RouterRpc;
export type DeliveryBinding = Fetcher & DeliveryRpc;
export type IdentityBinding = Fetcher & IdentityRpc;
