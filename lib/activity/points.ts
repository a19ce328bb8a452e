import type { Platform } from "../db/schema/columns.ts";
import type { ChatEvent, EventType } from "../events/chat-event.ts";

/**
 * Activity points per platform event, as the seeds give them (module-details-core.md):
 * Twitch follow 10, sub 50, bits variable, raid 30, sub gift 60, ban −10; Slack message 5,
 * file 15, reaction 3, join 10, mention 8; Discord message 5, reaction 2, member join 10, voice join 8,
 * voice time 1 per minute (the relay reports `data.minutes`), boost 100.
 * One table, so the portal, the router and ingress agree on what an event is worth.
 */
const ACTIVITY_POINTS: Record<Platform, Partial<Record<EventType, number>>> = {
  twitch: {
    follow: 10,
    subscribe: 50,
    // A resub announcement is the sub of that month (channel.subscribe does not fire for it).
    subscription_message: 50,
    subscription_gift: 60,
    raid: 30,
    ban: -10,
  },
  slack: { message: 5, file_shared: 15, reaction: 3, member_join: 10, app_mention: 8 },
  discord: { message: 5, reaction: 2, member_join: 10, voice_join: 8, boost: 100 },
};

/** Voice time: 1 point per minute in a voice channel (seeds). */
const VOICE_POINTS_PER_MINUTE = 1;

/** Bits are worth what a sub is worth per dollar: a $4.99 sub is 50 points, so 10 bits are 1. */
const BITS_PER_POINT = 10;

/** The points one event earns its user (0 when it earns none). */
export function activityPoints(platform: Platform, type: EventType, data: Record<string, unknown> = {}): number {
  if (platform === "twitch" && type === "cheer") {
    const bits = Number(data.bits);
    return Number.isFinite(bits) && bits > 0 ? Math.max(1, Math.floor(bits / BITS_PER_POINT)) : 0;
  }
  if (platform === "discord" && type === "voice_time") {
    // Capped at a day per report: a forged or corrupt count cannot mint unbounded points.
    const minutes = data.minutes;
    return typeof minutes === "number" && Number.isInteger(minutes) && minutes > 0
      ? Math.min(minutes, VOICE_POINTS_PER_MINUTE * 1440)
      : 0;
  }
  return ACTIVITY_POINTS[platform][type] ?? 0;
}

/** Users platforms do not name (anonymous cheers and gifts) earn nothing and get no account. */
export const ANONYMOUS = "anonymous";

/** The points an event earns (the table above); anonymous users earn none. */
export function pointsFor(event: ChatEvent): number {
  return event.user.id === ANONYMOUS ? 0 : activityPoints(event.platform, event.type, event.data);
}
