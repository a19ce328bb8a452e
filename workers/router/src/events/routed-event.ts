import type { ChatEvent, ChatUser } from "../../../../lib/events/chat-event.ts";
import type { SimulatedUserId } from "../../../../lib/events/simulated.ts";

/** An event a platform (or the relay, or an event batch) delivered: its effects are real. */
export type LiveEvent = ChatEvent & { readonly simulated: false };

/**
 * An event from the admin API's simulate endpoint. Its user lives in the synthetic namespace
 * (`sim:<portal user id>`), so it can never act as a platform user, and it runs dry: whatever
 * would have left the reply (a strike, a `{count}` increment, a moderation webhook, an overlay
 * publish, a module session, an account change) is skipped and described in `wouldDo` instead.
 */
export type SimulatedEvent = Omit<ChatEvent, "user"> & {
  readonly simulated: true;
  user: ChatUser & { id: SimulatedUserId };
  /** What a live event would have done here, for the simulate answer ("would ban", ...). */
  wouldDo: string[];
};

/**
 * Every event inside the router. A discriminated union rather than an optional flag: code with
 * a side effect must narrow on `simulated` (functions that may only run live take `LiveEvent`),
 * so forgetting simulation is a type error, not a silent account takeover.
 */
export type RoutedEvent = LiveEvent | SimulatedEvent;

/**
 * The parameter type of a function whose effect may only happen live: a plain ChatEvent or a
 * LiveEvent passes, a SimulatedEvent does not compile (`simulated: true` is not `false`).
 */
export type NotSimulated = ChatEvent & { readonly simulated?: false };

/** A validated platform event, marked live (ChatEventSchema strips any `simulated` it carried). */
export const liveEvent = (event: ChatEvent): LiveEvent => ({ ...event, simulated: false });

/** Records what a simulated event would have done; a no-op for live events. */
export function wouldDo(event: RoutedEvent, what: string): void {
  if (event.simulated) event.wouldDo.push(what);
}
