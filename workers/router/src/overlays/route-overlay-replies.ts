import type { BotReply } from "../../../../lib/events/chat-event.ts";
import type { Env } from "../env.ts";

/**
 * The single place where module replies for the overlay room (media, ticker, general, form)
 * leave the router. The overlays work provides publishOverlay(env, communityId, type, data)
 * and it is called from here; until then the replies are only returned in the EventOutcome.
 */
export async function routeOverlayReplies(_env: Env, _communityId: string, _replies: BotReply[]): Promise<void> {}
