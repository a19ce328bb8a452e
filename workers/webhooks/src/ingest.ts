import type { Context } from "hono";
import { pointsFor } from "../../../lib/activity/points.ts";
import { recordAudit } from "../../../lib/audit.ts";
import { type ResolvedCommunity, resolveCommunity } from "../../../lib/communities/resolve.ts";
import { touchConnection } from "../../../lib/connections/store.ts";
import type { ChatEvent, EventOutcome } from "../../../lib/events/chat-event.ts";
import { enforceActions } from "../../../lib/events/enforce.ts";
import { withSlackMember } from "../../../lib/events/slack-member.ts";
import { awardPoints, ensurePlatformUser } from "../../../lib/identity/platform-users.ts";
import { log } from "../../../lib/log.ts";
import { deliverReplies } from "../../../lib/platforms/deliver.ts";
import { released } from "../../../lib/rpc.ts";
import { type DeliverySource, deliveryKey, firstDelivery, forgetDelivery } from "./dedupe.ts";
import type { AppEnv, Env } from "./env.ts";

/**
 * The community an event belongs to, or null after recording that it came for one we do not
 * know (the platform is still acknowledged, so it does not retry forever).
 */
export async function resolveOrRecord(env: Env, event: ChatEvent): Promise<ResolvedCommunity | null> {
  const community = await resolveCommunity(env.DB, event.platform, event.communityPlatformId);
  if (community) {
    await noteEvent(env, event);
    return community;
  }
  await recordAudit(env.DB, {
    actorType: "platform",
    actorId: event.user.id,
    action: "ingress.unknown_community",
    targetType: event.platform,
    targetId: event.communityPlatformId,
    outcome: "denied",
    details: { eventId: event.id, type: event.type, channelId: event.channel.id },
  });
  return null;
}

// "Last event seen" for the portal, written at most once a minute per account and isolate: a
// busy channel must not cost a D1 write per message.
const lastNoted = new Map<string, number>();
async function noteEvent(env: Env, event: ChatEvent, now = Date.now()): Promise<void> {
  const key = `${event.platform}:${event.communityPlatformId}`;
  if ((lastNoted.get(key) ?? 0) > now - 60_000) return;
  lastNoted.set(key, now);
  if (lastNoted.size > 10_000) lastNoted.clear();
  await touchConnection(env, event.platform, event.communityPlatformId, new Date(now)).catch((err: unknown) =>
    log.warn("recording the last event failed", { error: err }),
  );
}

/** Awards the event's activity points. Never throws. */
export async function awardActivity(env: Env, communityId: string, event: ChatEvent): Promise<void> {
  const points = pointsFor(event);
  if (points === 0) return;
  try {
    const userId = await ensurePlatformUser(env.DB, event.platform, event.user.id, event.user.username);
    await awardPoints(env.DB, communityId, userId, points);
  } catch (err) {
    log.error("awarding activity points failed", { eventId: event.id, error: err });
  }
}

/**
 * The router's answer to an event, with the activity points awarded alongside. The router is
 * told the community resolved here (no second lookup, no second parse of the event).
 */
export async function route(env: Env, event: ChatEvent, communityId: string): Promise<EventOutcome> {
  const [outcome] = await Promise.all([
    withSlackMember(env, event, communityId).then(async (e) =>
      released(await env.ROUTER.handleEvent(e, { communityId })),
    ),
    awardActivity(env, communityId, event),
  ]);
  return outcome;
}

/**
 * Routes an event, sends its chat replies back to the platform and carries out its moderation
 * actions (side by side: a failed delete never holds back the warning, nor the reverse).
 * Logs, never throws.
 */
export async function routeAndDeliver(env: Env, event: ChatEvent, communityId: string): Promise<void> {
  try {
    const outcome = await route(env, event, communityId);
    const [delivered] = await Promise.allSettled([
      deliverReplies(env, event.reply, outcome.replies, communityId),
      enforceActions(env, event, outcome, communityId),
    ]);
    if (delivered.status === "rejected") throw delivered.reason;
  } catch (err) {
    log.error("event processing failed", { eventId: event.id, platform: event.platform, error: err });
  }
}

export type Accepted = "accepted" | "duplicate" | "unknown_community";

/**
 * How an acknowledged event reaches the router: `queue` (EventSub notifications, Slack events,
 * relay events: retried until done, queue/consume.ts) or `inline` in `waitUntil` (Slack commands
 * and interactivity, answered at their short-lived `response_url`).
 */
export type Handoff = "queue" | "inline";

/**
 * The path of an event the platform wants acknowledged at once: drop a repeat, resolve the
 * community, hand the event on. If anything fails before the acknowledgement (a queue `send`
 * included) the delivery id is forgotten and the error answers 500, so the platform's retry is
 * processed rather than dropped as a duplicate.
 */
export async function accept(
  c: Context<AppEnv>,
  source: DeliverySource,
  deliveryId: string,
  event: ChatEvent,
  handoff: Handoff = "queue",
): Promise<Accepted> {
  if (!(await firstDelivery(c.env, source, deliveryId))) return "duplicate";
  try {
    const community = await resolveOrRecord(c.env, event);
    if (!community) return "unknown_community";
    if (handoff === "queue") {
      await c.env.EVENTS.send({ key: deliveryKey(source, deliveryId), communityId: community.id, event });
    } else {
      c.executionCtx.waitUntil(routeAndDeliver(c.env, event, community.id));
    }
    return "accepted";
  } catch (err) {
    await forgetDelivery(c.env, source, deliveryId);
    throw err;
  }
}
