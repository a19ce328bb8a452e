import type { BotReply } from "../../../../lib/events/chat-event.ts";
import { log } from "../../../../lib/log.ts";
import type { Env } from "../env.ts";
import { publishOverlay } from "./publish.ts";

/** Overlay source type for each non-chat reply; a `form` is HTML content, shown by `general`. */
const SOURCE = { media: "media", ticker: "ticker", general: "general", form: "general" } as const;

/**
 * The single place where module replies for the overlay room (media, ticker, general, form)
 * leave the router. Each is validated (general HTML sanitised) and published on its own: one
 * invalid reply is logged and never stops the others.
 */
export async function routeOverlayReplies(env: Env, communityId: string, replies: BotReply[]): Promise<void> {
  await Promise.all(
    replies.map(async (reply) => {
      if (reply.type === "chat") return;
      try {
        await publishOverlay(env, communityId, SOURCE[reply.type], reply.data);
      } catch (err) {
        log.warn("overlay reply not published", { communityId, type: reply.type, error: err });
      }
    }),
  );
}
