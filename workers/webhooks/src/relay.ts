import type * as z from "zod";
import { type ChatEvent, ChatEventSchema } from "../../../lib/events/chat-event.ts";
import { parseJson, readLimitedBody } from "../../../lib/http/body.ts";
import { accept } from "./ingest.ts";
import { postOnly } from "./post-only.ts";
import { verifyRelay } from "./verify.ts";

export const RELAY_BODY_LIMIT = 64 * 1024;

/**
 * What the gateway relay sends: an already-normalised event (Discord gateway message, Twitch
 * IRC line) without `receivedAt`, which the worker stamps. The reply goes back through the
 * channel outbox (discord_channel or twitch handles).
 */
const RelayEventSchema = ChatEventSchema.omit({ receivedAt: true });

/** `POST /relay/events`: events from the gateway relay, signed with RELAY_SHARED_SECRET. */
export const relay = postOnly("/events");

relay.post("/events", async (c) => {
  const body = await readLimitedBody(c.req.raw, RELAY_BODY_LIMIT);
  await verifyRelay(c.env.RELAY_SHARED_SECRET, c.req.raw.headers, body);
  // One parse: the relay's fields are validated here; receivedAt is ours and valid by construction.
  const event: ChatEvent = { ...RelayEventSchema.parse(parseJson(body)), receivedAt: new Date().toISOString() };
  const result = await accept(c, "relay", event.id, event);
  return c.json({ status: result }, 202);
});

export type RelayEvent = z.input<typeof RelayEventSchema>;
