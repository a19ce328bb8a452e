import { Hono } from "hono";
import { released } from "../../../../lib/rpc.ts";
import type { AppEnv } from "../env.ts";

/**
 * `GET /calendar/<token>.ics`: a community's approved events as iCal, for calendar apps to
 * subscribe to. Public by design (calendar apps send no credentials): the 64-hex token is the
 * capability, and anything that is not a live token — malformed, unknown, rotated — is a 404.
 */
export const calendarFeed = new Hono<AppEnv>();

calendarFeed.get("/:file", async (c) => {
  const m = /^([0-9a-f]{64})\.ics$/.exec(c.req.param("file"));
  const ics = m && c.env.MODULES ? released(await c.env.MODULES.calendarIcs(m[1]!)) : null;
  if (ics === null) return c.text("Not found", 404);
  return c.body(ics, 200, {
    "content-type": "text/calendar; charset=utf-8",
    "content-disposition": 'inline; filename="events.ics"',
    // Calendar apps poll; five minutes keeps them current without a D1 read per refresh.
    "cache-control": "private, max-age=300",
    "referrer-policy": "no-referrer",
    "x-robots-tag": "noindex",
  });
});
