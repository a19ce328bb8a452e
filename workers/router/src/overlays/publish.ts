import type { PublishResult } from "../../../../durable-objects/overlay-room.ts";
import type { OverlayType } from "../../../../lib/db/schema/index.ts";
import { released } from "../../../../lib/rpc.ts";
import type { Env } from "../env.ts";
import type { NotSimulated } from "../events/routed-event.ts";
import { getRouterConfig } from "../router-config.ts";
import { alertFor } from "./alerts.ts";
import { MESSAGE_SCHEMAS } from "./messages.ts";

/** The community's overlay room: one Durable Object per community. */
export const overlayRoom = (env: Pick<Env, "OVERLAY_ROOM">, communityId: string) =>
  env.OVERLAY_ROOM.get(env.OVERLAY_ROOM.idFromName(communityId));

/**
 * Validates (and for `general`, sanitises) an overlay message and sends it to the community's
 * room, which numbers it, keeps it for replay and fans it out to every page of its type.
 * Module replies of type media/ticker/general and the admin API both come through here.
 * Throws a ZodError for invalid data (the API answers 400 with its issues); nothing is stored.
 */
export async function publishOverlay(
  env: Pick<Env, "OVERLAY_ROOM">,
  communityId: string,
  type: OverlayType,
  data: unknown,
): Promise<PublishResult> {
  const message = MESSAGE_SCHEMAS[type].parse(data) as Record<string, unknown>;
  return released(await overlayRoom(env, communityId).publish(type, message));
}

/**
 * Raises a ticker alert for a follow, sub, gifted subs, raid or cheer, if the community has
 * that alert switched on (`settings.overlays.alerts`, read from the cached router config, so
 * an alert costs no D1 query; the alerts PUT invalidates it). Returns the publish result, or
 * null when the event is not an alert or the alert is off.
 */
export async function alertFromPlatformEvent(
  env: Pick<Env, "OVERLAY_ROOM" | "DB">,
  communityId: string,
  // A streamer's OBS must never show an alert for a simulated event.
  event: NotSimulated,
): Promise<PublishResult | null> {
  const alert = alertFor(event);
  if (!alert) return null;
  const { alerts, alertDurationMs } = await getRouterConfig(env, communityId);
  if (!alerts[alert.kind as keyof typeof alerts]) return null;
  return publishOverlay(env, communityId, "ticker", { ...alert, durationMs: alertDurationMs });
}
