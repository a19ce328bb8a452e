import { z } from "@hono/zod-openapi";
import type { OverlayType } from "../../../../lib/db/schema/overlays.ts";
import { safeImageUrl, sanitizeHtml } from "./sanitize.ts";

/** The largest `general` HTML accepted (before sanitising). */
const MAX_HTML_BYTES = 16 * 1024;

const TICKER_KINDS = ["info", "alert", "follow", "subscribe", "subscription_gift", "raid", "cheer"] as const;

/** A scrolling notification: queued on the page and shown one after another for `durationMs`. */
const TickerMessage = z
  .object({
    text: z.string().trim().min(1).max(500),
    durationMs: z.number().int().min(1_000).max(60_000).default(6_000),
    kind: z.enum(TICKER_KINDS).default("info"),
  })
  .openapi("TickerMessage");

const imageUrl = z
  .string()
  .max(64 * 1024)
  .refine((u) => safeImageUrl(u) !== null, "must be an https URL or a data:image URL")
  .transform((u) => safeImageUrl(u)!);

/** Now playing: a card with album art and a progress bar that runs from `positionMs`. */
const MediaMessage = z
  .object({
    title: z.string().trim().min(1).max(200),
    artist: z.string().trim().max(200).optional(),
    album: z.string().trim().max(200).optional(),
    artUrl: imageUrl.optional(),
    durationMs: z.number().int().min(0).max(86_400_000).optional(),
    positionMs: z.number().int().min(0).max(86_400_000).default(0),
  })
  .refine((m) => m.durationMs === undefined || m.positionMs <= m.durationMs, {
    message: "positionMs must not be past durationMs",
    path: ["positionMs"],
  })
  .openapi("MediaMessage");

/** HTML for announcements and forms; sanitised here, on publish, so no script ever reaches OBS. */
const GeneralMessage = z
  .object({
    html: z
      .string()
      .refine(
        (h) => new TextEncoder().encode(h).length <= MAX_HTML_BYTES,
        `html must be at most ${MAX_HTML_BYTES} bytes`,
      )
      .transform(sanitizeHtml)
      .openapi({
        description: "HTML; only p, h1-h3, strong, em, lists, br, span, div, img and a survive. Empty clears.",
      }),
    title: z.string().trim().max(200).optional(),
  })
  .openapi("GeneralMessage");

export const MESSAGE_SCHEMAS = { ticker: TickerMessage, media: MediaMessage, general: GeneralMessage } as const;

export type OverlayMessage<T extends OverlayType> = z.infer<(typeof MESSAGE_SCHEMAS)[T]>;
