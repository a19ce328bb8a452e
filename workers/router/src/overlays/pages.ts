import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { roomForSocket } from "../../../../durable-objects/overlay-fanout.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { communities, OVERLAY_TYPES, type OverlayType } from "../../../../lib/db/schema/index.ts";
import { createApp } from "../../../../lib/http/app.ts";
import { NotFound } from "../../../../lib/http/errors.ts";
import type { AppEnv } from "../env.ts";
import { styleCss, styleOf } from "./overlay-style.ts";
import { OVERLAY_SCRIPT } from "./page-script.ts";
import { OVERLAY_STYLE } from "./page-style.ts";
import { resolveToken } from "./tokens.repo.ts";

/**
 * Nothing but the page's own files runs or loads, except images (album art, pictures in
 * announcements): https or data: only (the sanitiser and the message schema refuse anything
 * else), so an overlay never loads a picture over plain http. `connect-src 'self'` covers the
 * page's own ws:/wss: origin; `frame-ancestors` stays open because OBS and the portal's
 * preview embed the page.
 */
const OVERLAY_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "font-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

const PAGE_HEADERS = {
  "content-security-policy": OVERLAY_CSP,
  "cache-control": "no-store",
  // The URL is a capability: never hand it to an image host in a Referer header.
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
};

const Path = z.object({ token: z.string().max(100), type: z.enum(OVERLAY_TYPES) });
const Since = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const BODIES: Record<OverlayType, string> = {
  ticker: `<div id="ticker" class="ticker" aria-live="polite"></div>`,
  media: `<div id="media" class="media no-art"><div class="art"><img id="media-art" alt=""></div><div class="meta"><div class="label">Now playing</div><div id="media-title" class="title"></div><div id="media-artist" class="artist"></div><div class="progress"><div id="media-bar" class="bar"></div></div><div class="times"><span id="media-pos"></span><span id="media-dur"></span></div></div></div>`,
  general: `<div id="general" class="general"><h1 id="general-title" hidden></h1><div id="general-body" class="content"></div></div>`,
};

function page(type: OverlayType): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>WaddleBot ${type} overlay</title>
<link rel="stylesheet" href="/overlay/assets/overlay.css">
<link rel="stylesheet" href="${type}/style.css">
<script src="/overlay/assets/overlay.js" defer></script>
</head>
<body class="overlay overlay-${type}" data-type="${type}" data-state="connecting">
${BODIES[type]}
</body>
</html>
`;
}

/**
 * The OBS browser sources: `GET /overlay/{token}/{type}` is the page, `…/ws` its WebSocket.
 * A token that is not the community's current one (or the previous one, during its grace
 * period) gets 404 before any Durable Object is touched.
 */
export const overlayPages = createApp<AppEnv>();

overlayPages.get("/assets/overlay.js", (c) =>
  c.body(OVERLAY_SCRIPT, 200, {
    "content-type": "text/javascript; charset=utf-8",
    "cache-control": "public, max-age=300",
    "x-content-type-options": "nosniff",
  }),
);
overlayPages.get("/assets/overlay.css", (c) =>
  c.body(OVERLAY_STYLE, 200, {
    "content-type": "text/css; charset=utf-8",
    "cache-control": "public, max-age=300",
    "x-content-type-options": "nosniff",
  }),
);

overlayPages.get("/:token/:type/ws", async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    return c.text("Expected a WebSocket upgrade", 426, { upgrade: "websocket" });
  }
  const path = Path.safeParse(c.req.param());
  if (!path.success) throw new NotFound("No such overlay");
  const found = await resolveToken(createDb(c.env.DB), path.data.token, path.data.type);
  if (!found) throw new NotFound("No such overlay");
  const url = new URL("https://overlay-room/connect");
  url.searchParams.set("type", path.data.type);
  url.searchParams.set("gen", String(found.generation));
  const since = Since.safeParse(c.req.query("since"));
  if (c.req.query("since") !== undefined && since.success) url.searchParams.set("since", String(since.data));
  // The community's room, or one of its child rooms when the pages are fanned out.
  return roomForSocket(c.env, found.communityId, url).fetch(new Request(url, { headers: { upgrade: "websocket" } }));
});

// The community's own look (font, colours, position), after the shared sheet. The page is at
// /overlay/{token}/{type}, so its relative "{type}/style.css" is this route.
overlayPages.get("/:token/:type/style.css", async (c) => {
  const path = Path.safeParse(c.req.param());
  if (!path.success) throw new NotFound("No such overlay");
  const db = createDb(c.env.DB);
  const found = await resolveToken(db, path.data.token, path.data.type);
  if (!found) throw new NotFound("No such overlay");
  const row = await db.select().from(communities).where(eq(communities.id, found.communityId)).get();
  return c.body(styleCss(styleOf(row?.settings)), 200, {
    "content-type": "text/css; charset=utf-8",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
});

overlayPages.get("/:token/:type", async (c) => {
  const path = Path.safeParse(c.req.param());
  if (!path.success) throw new NotFound("No such overlay");
  const found = await resolveToken(createDb(c.env.DB), path.data.token, path.data.type);
  if (!found) throw new NotFound("No such overlay");
  return c.html(page(path.data.type), 200, PAGE_HEADERS);
});
