// The Durable Objects project's main: exports every class so tests reach them directly.
export { Deduplicator } from "../../durable-objects/deduplicator.ts";
export { Outbox } from "../../durable-objects/outbox.ts";
export { OverlayRoom } from "../../durable-objects/overlay-room.ts";
export { RateLimiter } from "../../durable-objects/rate-limiter.ts";
export { RouterSession } from "../../durable-objects/session.ts";

export default {
  fetch: () => new Response("durable objects test harness"),
};
