import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Principal } from "../../../../lib/auth/permissions.ts";
import { BadRequest, Conflict, NotFound, ServiceUnavailable } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import {
  CounterSet,
  GiveawayStart,
  InventoryChange,
  type ManageOp,
  ModuleName,
  QuoteEdit,
  TimerSave,
} from "../../../../lib/modules/manage.ts";
import { released } from "../../../../lib/rpc.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import { auditChange } from "../marketplace/audit.ts";
import { routeOverlayReplies } from "../overlays/route-overlay-replies.ts";

/**
 * The portal's writes to the first-party modules' data: edit a quote, add or take items, set or
 * reset a counter, add/edit/remove timers, start and draw giveaways. Admins (modules:write) make
 * them, each audited with from → to; moderators read the same data (content.routes.ts).
 */
export const firstPartyManageRoutes = createApiApp<RouteEnv>();

const Done = {
  description: "Done",
  ...jsonContent(envelopeOf(z.object({ message: z.string() }).openapi("FirstPartyChange"))),
};
/** What every write route shares: admins only, the same answer and errors. */
const common = {
  tags: ["marketplace"],
  permission: "modules:write" as const,
  responses: { 200: Done, ...errorResponses(400, 401, 403, 404, 409) },
};
const body = <T extends z.ZodType>(schema: T) => ({ required: true, ...jsonContent(schema) });
const NameParams = CommunityParams.extend({ name: ModuleName.openapi({ description: "Its name" }) });

/** Runs one op in the modules worker; a refusal becomes its 4xx, a change its audit row. */
async function run(
  c: Context<RouteEnv>,
  communityId: string,
  op: ManageOp,
  audit: { action: string; targetType: string; targetId: string },
) {
  if (!c.env.MODULES) throw new ServiceUnavailable("The first-party modules worker is not bound");
  const result = released(await c.env.MODULES.manage(communityId, op));
  if (!result.ok) {
    if (result.status === 404) throw new NotFound(result.message);
    if (result.status === 409) throw new Conflict(result.message);
    throw new BadRequest(result.message);
  }
  auditChange(c, { communityId, ...audit, details: { from: result.from, to: result.to } });
  // A portal draw shows its winner on the stream's general overlay, as a chat draw does.
  if (result.overlay)
    c.executionCtx.waitUntil(routeOverlayReplies(c.env, communityId, [{ type: "general", data: result.overlay }]));
  return ok(c, { message: result.message });
}

firstPartyManageRoutes.openapi(
  communityRoute({
    ...common,
    method: "put",
    path: "/{communityId}/first-party/quotes/{number}",
    summary: "Edit a quote's text (the memories module)",
    request: {
      params: CommunityParams.extend({ number: z.coerce.number().int().min(1).max(999_999_999) }),
      body: body(QuoteEdit),
    },
  }),
  async (c) => {
    const { communityId, number } = c.req.valid("param");
    const op = { op: "quote.edit" as const, number, ...c.req.valid("json") };
    return run(c, communityId, op, { action: "module.quote.edit", targetType: "quote", targetId: String(number) });
  },
);

firstPartyManageRoutes.openapi(
  communityRoute({
    ...common,
    method: "post",
    path: "/{communityId}/first-party/inventory",
    summary: "Add items to (quantity > 0) or take them from (< 0) an owner's inventory",
    request: {
      params: CommunityParams,
      body: body(InventoryChange),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const change = c.req.valid("json");
    const op = { op: "inventory.change" as const, ...change };
    return run(c, communityId, op, {
      action: "module.inventory.change",
      targetType: "inventory",
      targetId: `${change.owner}/${change.item}`,
    });
  },
);

firstPartyManageRoutes.openapi(
  communityRoute({
    ...common,
    method: "put",
    path: "/{communityId}/first-party/counters/{name}",
    summary: "Set a counter (0 resets it)",
    request: { params: NameParams, body: body(CounterSet) },
  }),
  async (c) => {
    const { communityId, name } = c.req.valid("param");
    const op = { op: "counter.set" as const, name, ...c.req.valid("json") };
    return run(c, communityId, op, { action: "module.counter.set", targetType: "counter", targetId: name });
  },
);

firstPartyManageRoutes.openapi(
  communityRoute({
    ...common,
    method: "put",
    path: "/{communityId}/first-party/timers/{name}",
    summary: "Add or edit a timer (message every N minutes after M chat lines, while live)",
    request: {
      params: NameParams,
      body: body(TimerSave),
    },
  }),
  async (c) => {
    const { communityId, name } = c.req.valid("param");
    const op = { op: "timer.save" as const, name, ...c.req.valid("json") };
    return run(c, communityId, op, { action: "module.timer.save", targetType: "timer", targetId: name });
  },
);

firstPartyManageRoutes.openapi(
  communityRoute({
    ...common,
    method: "delete",
    path: "/{communityId}/first-party/timers/{name}",
    summary: "Remove a timer",
    request: { params: NameParams },
  }),
  async (c) => {
    const { communityId, name } = c.req.valid("param");
    return run(
      c,
      communityId,
      { op: "timer.remove", name },
      {
        action: "module.timer.remove",
        targetType: "timer",
        targetId: name,
      },
    );
  },
);

firstPartyManageRoutes.openapi(
  communityRoute({
    ...common,
    method: "post",
    path: "/{communityId}/first-party/giveaways",
    summary: "Start a giveaway (entries by keyword in chat)",
    request: {
      params: CommunityParams,
      body: body(GiveawayStart),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const start = c.req.valid("json");
    const principal = c.get("principal" as never) as Principal;
    const op = { op: "giveaway.start" as const, ...start, startedBy: principal.displayName };
    return run(c, communityId, op, {
      action: "module.giveaway.start",
      targetType: "giveaway",
      targetId: start.keyword,
    });
  },
);

firstPartyManageRoutes.openapi(
  communityRoute({
    ...common,
    method: "post",
    path: "/{communityId}/first-party/giveaways/draw",
    summary: "Draw the latest giveaway's winner, or re-draw another one",
    request: {
      params: CommunityParams,
      body: body(z.object({ redraw: z.boolean().default(false) })),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const { redraw } = c.req.valid("json");
    return run(
      c,
      communityId,
      { op: "giveaway.draw", redraw },
      {
        action: redraw ? "module.giveaway.redraw" : "module.giveaway.draw",
        targetType: "giveaway",
        targetId: "latest",
      },
    );
  },
);
