import * as z from "zod";
import { parseJson, readLimitedBody } from "../../../lib/http/body.ts";
import { BadRequest } from "../../../lib/http/errors.ts";
import { firstDelivery, forgetDelivery } from "./dedupe.ts";
import { eventSubToChatEvent } from "./eventsub-events.ts";
import { recordSubscription, SubscriptionSchema } from "./eventsub-subscriptions.ts";
import { accept } from "./ingest.ts";
import { postOnly } from "./post-only.ts";
import { verifyTwitch } from "./verify.ts";

const TWITCH_BODY_LIMIT = 64 * 1024;

const PayloadSchema = z.object({
  subscription: SubscriptionSchema,
  challenge: z.string().min(1).max(1000).optional(),
  event: z.unknown().optional(),
});

/** `POST /twitch/eventsub`: Twitch EventSub webhook callbacks. */
export const eventsub = postOnly("/eventsub");

eventsub.post("/eventsub", async (c) => {
  const body = await readLimitedBody(c.req.raw, TWITCH_BODY_LIMIT);
  const { messageId } = await verifyTwitch(c.env.TWITCH_EVENTSUB_SECRET, c.req.raw.headers, body);
  const payload = PayloadSchema.parse(parseJson(body));
  const messageType = c.req.header("twitch-eventsub-message-type");

  if (messageType === "webhook_callback_verification") {
    if (!payload.challenge) throw new BadRequest("Missing challenge");
    await recordSubscription(c.env.DB, payload.subscription, "enabled");
    // Twitch wants the challenge back verbatim, as text/plain, with a 200.
    return c.text(payload.challenge, 200, { "content-type": "text/plain" });
  }

  if (messageType === "revocation") {
    if (await firstDelivery(c.env, "twitch", messageId)) {
      try {
        await recordSubscription(c.env.DB, payload.subscription, "revoked");
      } catch (err) {
        await forgetDelivery(c.env, "twitch", messageId);
        throw err;
      }
    }
    return c.body(null, 204);
  }

  if (messageType !== "notification") throw new BadRequest("Unknown Twitch-Eventsub-Message-Type");
  const event = eventSubToChatEvent(messageId, payload.subscription.type, payload.event);
  if (!event) return c.body(null, 204);
  // The bot's own chat lines come back as channel.chat.message: answering them would loop.
  if (event.type === "message" && c.env.TWITCH_BOT_USER_ID && event.user.id === c.env.TWITCH_BOT_USER_ID) {
    return c.body(null, 204);
  }
  await accept(c, "twitch", messageId, event);
  return c.body(null, 204);
});
