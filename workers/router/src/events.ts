import { and, eq } from "drizzle-orm";
import { createDb } from "../../../lib/db/client.ts";
import { communityPlatforms } from "../../../lib/db/schema/index.ts";
import type { ChatEvent, EventOutcome } from "../../../lib/events/chat-event.ts";
import type { Env } from "./env.ts";

const BUILTINS: Record<string, string> = {
  ping: "pong",
  help: "Commands: !ping, !help",
};

/**
 * The router's entry for one event. This first cut resolves the community and answers the
 * built-ins; the command registry, permissions, moderation and engines grow from here.
 */
export async function handleEvent(env: Env, event: ChatEvent): Promise<EventOutcome> {
  const db = createDb(env.DB);
  const link = await db
    .select({ communityId: communityPlatforms.communityId })
    .from(communityPlatforms)
    .where(
      and(
        eq(communityPlatforms.platform, event.platform),
        eq(communityPlatforms.platformId, event.communityPlatformId),
      ),
    )
    .get();
  if (!link) return { status: "unknown_community", replies: [] };
  const text = event.text?.trim() ?? "";
  const name = text.startsWith("!") ? text.slice(1).split(/\s+/)[0]?.toLowerCase() : undefined;
  const answer = name ? BUILTINS[name] : undefined;
  if (!answer) return { status: "ignored", replies: [], communityId: link.communityId };
  return { status: "processed", replies: [{ type: "chat", text: answer }], communityId: link.communityId };
}
