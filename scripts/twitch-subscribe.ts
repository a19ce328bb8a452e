/**
 * `npm run twitch:subscribe -- <broadcaster id> --callback https://<webhooks host>/twitch/eventsub`
 *
 * Creates the community's EventSub subscriptions (follows, subs, gifts, resubs, cheers,
 * raids, stream online/offline, bans, chat messages) through Helix with an app token. The
 * community is named by the Twitch broadcaster id it is linked to. Twitch then verifies each
 * subscription against the callback; the webhooks worker records it (table
 * twitch_eventsub_subscriptions). Uses TWITCH_CLIENT_ID, TWITCH_CLIENT_SECRET,
 * TWITCH_EVENTSUB_SECRET, TWITCH_BOT_USER_ID and the API bases from the environment or `.dev.vars`.
 */
import { subscribeBroadcaster } from "../lib/platforms/setup.ts";
import { flag, platformEnv } from "./platform-env.ts";

const args = process.argv.slice(2);
const broadcasterId = args[0];
const callback = flag(args, "callback") ?? process.env.WADDLEBOT_EVENTSUB_CALLBACK;
if (!broadcasterId || broadcasterId.startsWith("--") || !callback) {
  console.error("usage: npm run twitch:subscribe -- <broadcaster id> --callback https://…/twitch/eventsub");
  process.exit(2);
}

try {
  const results = await subscribeBroadcaster(await platformEnv(), broadcasterId, callback);
  for (const r of results) console.log(`${r.status.padEnd(8)} ${r.type}${r.error ? `  (${r.error})` : ""}`);
  if (results.some((r) => r.status === "failed")) process.exit(1);
} catch (err) {
  console.error(`Subscribing failed: ${(err as Error).message}`);
  process.exit(1);
}
