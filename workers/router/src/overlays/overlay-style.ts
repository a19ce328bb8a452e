import { z } from "@hono/zod-openapi";

/** Fonts an overlay may use: system stacks only (the page's CSP loads no font from anywhere). */
const FONTS = {
  system: `system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif`,
  rounded: `ui-rounded, "SF Pro Rounded", "Nunito", "Varela Round", system-ui, sans-serif`,
  serif: `ui-serif, Georgia, "Times New Roman", serif`,
  mono: `ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace`,
} as const;
const POSITIONS = ["top", "center", "bottom"] as const;

// Six hex digits only: the value is written into CSS, so nothing else may reach it.
const Colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, "a colour such as #7c5cff");

/**
 * A community's overlay look: font, colours, where the ticker and announcements sit, and how
 * long platform alerts stay up. Stored in `communities.settings.overlays.style`.
 */
export const OverlayStyle = z
  .object({
    font: z.enum(Object.keys(FONTS) as [keyof typeof FONTS, ...(keyof typeof FONTS)[]]).default("system"),
    textColor: Colour.default("#ffffff"),
    accentColor: Colour.default("#7c5cff"),
    panelColor: Colour.default("#0e101a"),
    panelOpacity: z.number().min(0).max(1).default(0.86),
    position: z
      .enum(POSITIONS)
      .default("top")
      .openapi({ description: "Ticker and announcements: top, center or bottom" }),
    alertDurationSec: z
      .number()
      .int()
      .min(2)
      .max(60)
      .default(8)
      .openapi({ description: "How long a platform alert stays" }),
  })
  .openapi("OverlayStyle");
export type OverlayStyle = z.infer<typeof OverlayStyle>;
export const OverlayStyleUpdate = OverlayStyle.partial().strict().openapi("OverlayStyleUpdate");

/** The style in a community's settings; anything missing or malformed falls back to the default. */
export function styleOf(settings: unknown): OverlayStyle {
  const stored = (settings as { overlays?: { style?: unknown } } | null | undefined)?.overlays?.style;
  const parsed = OverlayStyle.safeParse(stored ?? {});
  return parsed.success ? parsed.data : OverlayStyle.parse({});
}

const rgb = (hex: string) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(", ");
const PLACE = {
  ticker: { top: "flex-start", center: "center", bottom: "flex-end" },
  general: {
    top: "top: 64px; bottom: auto;",
    center: "top: 50%; margin-top: -180px;",
    bottom: "top: auto; bottom: 64px;",
  },
} as const;

/**
 * The community's stylesheet, loaded after the shared one (/overlay/{token}/{type}/style.css).
 * Built only from validated values (enums, hex colours, numbers), so nothing can inject CSS.
 */
export function styleCss(s: OverlayStyle): string {
  return [
    `:root { --fg: ${s.textColor}; --accent: ${s.accentColor}; --panel: rgba(${rgb(s.panelColor)}, ${s.panelOpacity}); }`,
    `body { font-family: ${FONTS[s.font]}; }`,
    `.ticker { align-items: ${PLACE.ticker[s.position]}; padding-top: 18px; padding-bottom: 18px; }`,
    `.general { ${PLACE.general[s.position]} }`,
  ].join("\n");
}
