import type { ChatEvent } from "../../../lib/events/chat-event.ts";
import { parseJson, readLimitedBody } from "../../../lib/http/body.ts";
import { BadRequest } from "../../../lib/http/errors.ts";
import { COPY_HEADER, CopyIdSchema, connectBody, RelayEventSchema } from "../../../lib/relay/protocol.ts";
import { accept } from "./ingest.ts";
import { postOnly } from "./post-only.ts";
import { verifyRelay } from "./verify.ts";

const RELAY_BODY_LIMIT = 64 * 1024;

/** `POST /relay/events`: events from the gateway relay, signed with RELAY_SHARED_SECRET. */
export const relay = postOnly("/events");

/** The coordinator every relay copy connects to; one object for the instance. */
export const COORDINATOR_NAME = "global";

relay.post("/events", async (c) => {
  const body = await readLimitedBody(c.req.raw, RELAY_BODY_LIMIT);
  await verifyRelay(c.env.RELAY_SHARED_SECRET, c.req.raw.headers, body);
  // One parse: the relay's fields are validated here; receivedAt is ours and valid by construction.
  const event: ChatEvent = { ...RelayEventSchema.parse(parseJson(body)), receivedAt: new Date().toISOString() };
  const result = await accept(c, "relay", event.id, event);
  return c.json({ status: result }, 202);
});

/**
 * `GET /relay/connect`: a relay copy's WebSocket to the RelayCoordinator. Signed like events,
 * over `{timestamp}.connect:{copy id}` (there is no body), and checked here, before the
 * upgrade reaches the Durable Object: a wrong secret never holds a socket.
 */
relay.get("/connect", async (c) => {
  const copy = c.req.header(COPY_HEADER) ?? "";
  await verifyRelay(c.env.RELAY_SHARED_SECRET, c.req.raw.headers, connectBody(copy));
  if (!CopyIdSchema.safeParse(copy).success) throw new BadRequest("Invalid relay copy id");
  if (c.req.header("upgrade") !== "websocket") return c.text("expected a WebSocket upgrade", 426);
  const stub = c.env.RELAY_COORDINATOR.get(c.env.RELAY_COORDINATOR.idFromName(COORDINATOR_NAME));
  const url = new URL(c.req.url);
  url.search = `?copy=${encodeURIComponent(copy)}`;
  return stub.fetch(new Request(url, c.req.raw));
});
