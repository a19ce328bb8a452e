import { createApp } from "../../../lib/http/app.ts";
import { discord } from "./discord.ts";
import type { AppEnv, Env } from "./env.ts";
import { eventsub } from "./eventsub.ts";
import { webhooksHealth } from "./health.ts";
import { relay } from "./relay.ts";
import { slack } from "./slack.ts";

export { Deduplicator } from "../../../durable-objects/deduplicator.ts";
export { Outbox } from "../../../durable-objects/outbox.ts";
export { RelayCoordinator } from "../../../durable-objects/relay-coordinator.ts";
export { DeliveryService } from "./delivery.ts";

const app = createApp<AppEnv>();

app.route("/", webhooksHealth);

app.route("/discord", discord);
app.route("/twitch", eventsub);
app.route("/slack", slack);
app.route("/relay", relay);

/** HTTP for the platforms; the events acknowledged there are consumed by the router (its `queue()`). */
export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
