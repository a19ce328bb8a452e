import { z } from "@hono/zod-openapi";
import type { ChatEvent } from "../../../../lib/events/chat-event.ts";
import type { OverlayMessage } from "./messages.ts";

const ALERT_EVENTS = ["follow", "subscribe", "subscription_gift", "raid", "cheer"] as const;
type AlertEvent = (typeof ALERT_EVENTS)[number];

/** Which platform events raise a ticker alert; everything is off until the community turns it on. */
export const AlertSettings = z
  .object(
    Object.fromEntries(ALERT_EVENTS.map((e) => [e, z.boolean().default(false)])) as Record<
      AlertEvent,
      z.ZodDefault<z.ZodBoolean>
    >,
  )
  .openapi("OverlayAlertSettings");
export type AlertSettings = z.infer<typeof AlertSettings>;

/** A change to some of the switches; the others stay as they are. */
export const AlertSettingsUpdate = z
  .object(
    Object.fromEntries(ALERT_EVENTS.map((e) => [e, z.boolean().optional()])) as Record<
      AlertEvent,
      z.ZodOptional<z.ZodBoolean>
    >,
  )
  .strict()
  .openapi("OverlayAlertSettingsUpdate");

/** The overlay part of `communities.settings`: `{ "overlays": { "alerts": { "follow": true, … } } }`. */
const OverlaySettings = z.object({
  overlays: z
    .object({ alerts: AlertSettings.default(AlertSettings.parse({})) })
    .default({ alerts: AlertSettings.parse({}) }),
});

/** Reads the alert switches from a community's settings; anything malformed counts as "off". */
export function alertSettingsOf(settings: unknown): AlertSettings {
  const parsed = OverlaySettings.safeParse(settings ?? {});
  return parsed.success ? parsed.data.overlays.alerts : AlertSettings.parse({});
}

const count = (v: unknown) => {
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v) : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : null;
};
const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

/** The ticker line for an alert event, or null for events that are not alerts. */
export function alertFor(event: ChatEvent): OverlayMessage<"ticker"> | null {
  const who = event.user.displayName || event.user.username || "Someone";
  const d = event.data;
  switch (event.type) {
    case "follow":
      return { kind: "follow", text: `${who} just followed!`, durationMs: 6_000 };
    case "subscribe": {
      const tier = count(d.tier);
      const label = tier && tier >= 1000 ? ` at Tier ${tier / 1000}` : "";
      return { kind: "subscribe", text: `${who} subscribed${label}!`, durationMs: 8_000 };
    }
    case "subscription_gift": {
      const n = count(d.total ?? d.count) ?? 1;
      return { kind: "subscription_gift", text: `${who} gifted ${plural(n, "sub")}!`, durationMs: 8_000 };
    }
    case "raid": {
      const n = count(d.viewers);
      return {
        kind: "raid",
        text: `${who} is raiding${n !== null ? ` with ${plural(n, "viewer")}` : ""}!`,
        durationMs: 10_000,
      };
    }
    case "cheer": {
      const n = count(d.bits) ?? 0;
      return { kind: "cheer", text: `${who} cheered ${plural(n, "bit")}!`, durationMs: 8_000 };
    }
    default:
      return null;
  }
}
