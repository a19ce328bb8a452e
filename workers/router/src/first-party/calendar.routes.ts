import { z } from "@hono/zod-openapi";
import type { Principal } from "../../../../lib/auth/permissions.ts";
import { Conflict, NotFound, ServiceUnavailable } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { CalendarEventViewSchema } from "../../../../lib/modules/calendar-contract.ts";
import { released } from "../../../../lib/rpc.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import type { Env } from "../env.ts";
import { auditChange } from "../marketplace/audit.ts";

/** The portal's calendar page: events to approve, reject or remove, and the iCal feed URL. */
export const calendarRoutes = createApiApp<RouteEnv>();

const modulesOf = (env: Env) => {
  if (!env.MODULES) throw new ServiceUnavailable("The first-party modules worker is not bound");
  return env.MODULES;
};

const CalendarEvent = CalendarEventViewSchema.openapi("CalendarEvent");
const Feed = z
  .object({ url: z.string().openapi({ description: "Subscribe to it in any calendar app" }) })
  .openapi("CalendarFeed");
const EventParams = CommunityParams.extend({
  number: z.coerce.number().int().min(1).max(999_999_999).openapi({ description: "The event's number" }),
});
const feedUrl = (requestUrl: string, token: string) => `${new URL(requestUrl).origin}/calendar/${token}.ics`;

calendarRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/calendar/events",
    tags: ["marketplace"],
    summary: "The calendar module's pending and approved events that have not ended",
    permission: "modules:read",
    request: { params: CommunityParams },
    responses: {
      200: { description: "Events, soonest first", ...jsonContent(envelopeOf(z.array(CalendarEvent))) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    return ok(c, z.array(CalendarEventViewSchema).parse(released(await modulesOf(c.env).calendarEvents(communityId))));
  },
);

for (const [verb, decision] of [
  ["approve", "approved"],
  ["reject", "rejected"],
] as const) {
  calendarRoutes.openapi(
    communityRoute({
      method: "post",
      path: `/{communityId}/calendar/events/{number}/${verb}`,
      tags: ["marketplace"],
      summary: `${verb === "approve" ? "Approve" : "Reject"} a pending event (its reminders are scheduled on approval)`,
      permission: "calendar:moderate",
      request: { params: EventParams },
      responses: {
        200: { description: "Decided", ...jsonContent(envelopeOf(CalendarEvent)) },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { communityId, number } = c.req.valid("param");
      const by = (c.get("principal" as never) as Principal).displayName || "portal";
      const r = released(await modulesOf(c.env).decideCalendarEvent(communityId, number, decision, by));
      if ("error" in r) {
        if (r.error === "missing") throw new NotFound(`There is no event #${number}`);
        throw new Conflict(`Event #${number} is not pending`);
      }
      auditChange(c, {
        communityId,
        action: `module.calendar.${verb}`,
        targetType: "calendar_event",
        targetId: String(number),
        details: { from: { status: "pending" }, to: { status: decision } },
      });
      return ok(c, CalendarEventViewSchema.parse(r.event));
    },
  );
}

calendarRoutes.openapi(
  communityRoute({
    method: "delete",
    path: "/{communityId}/calendar/events/{number}",
    tags: ["marketplace"],
    summary: "Remove an event (its RSVPs and reminders go with it)",
    permission: "calendar:moderate",
    request: { params: EventParams },
    responses: {
      200: { description: "Removed", ...jsonContent(envelopeOf(CalendarEvent)) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId, number } = c.req.valid("param");
    const gone = released(await modulesOf(c.env).removeCalendarEvent(communityId, number));
    if (!gone) throw new NotFound(`There is no event #${number}`);
    auditChange(c, {
      communityId,
      action: "module.calendar.remove",
      targetType: "calendar_event",
      targetId: String(number),
      details: { from: { title: gone.title, startsAt: gone.startsAt, status: gone.status }, to: null },
    });
    return ok(c, CalendarEventViewSchema.parse(gone));
  },
);

calendarRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/calendar/feed",
    tags: ["marketplace"],
    summary: "The community's iCal feed URL (approved events; made on first use)",
    permission: "modules:read",
    request: { params: CommunityParams },
    responses: {
      200: { description: "The feed URL", ...jsonContent(envelopeOf(Feed)) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const token = released(await modulesOf(c.env).calendarFeedToken(communityId, false));
    return ok(c, { url: feedUrl(c.req.url, token) });
  },
);

calendarRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/calendar/feed/rotate",
    tags: ["marketplace"],
    summary: "A new iCal feed URL; the old one answers 404 from now on",
    permission: "modules:write",
    request: { params: CommunityParams },
    responses: {
      200: { description: "The new feed URL", ...jsonContent(envelopeOf(Feed)) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const token = released(await modulesOf(c.env).calendarFeedToken(communityId, true));
    // The URL is a capability: the audit says that it changed, never what it is.
    auditChange(c, {
      communityId,
      action: "module.calendar.feed.rotate",
      targetType: "calendar_feed",
      targetId: communityId,
      details: { from: { url: "(previous)" }, to: { url: "(new)" } },
    });
    return ok(c, { url: feedUrl(c.req.url, token) });
  },
);
