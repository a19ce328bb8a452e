import { WorkerEntrypoint } from "cloudflare:workers";
import * as z from "zod";
import type { Authenticator } from "../../../lib/auth/hono.ts";
import { createDb } from "../../../lib/db/client.ts";
import { checks, healthRoutes } from "../../../lib/http/health.ts";
import { log } from "../../../lib/log.ts";
import type { CalendarDecision } from "../../../lib/modules/calendar-contract.ts";
import {
  type ModuleAnswer,
  ModuleCallSchema,
  type ModuleContent,
  type ModulesRpc,
  type OfficialManifest,
} from "../../../lib/modules/contract.ts";
import { ManageOpSchema, type ManageResult } from "../../../lib/modules/manage.ts";
import { expandAlias } from "./alias/index.ts";
import { decideEvent, listEvents, removeByNumber } from "./calendar/admin.ts";
import { feedIcs, feedToken, rotateFeed } from "./calendar/feed.ts";
import { deleteQuote, moduleContent } from "./content.ts";
import { counterValues } from "./counters/index.ts";
import { type Env, schedulerFor } from "./env.ts";
import { contextFor } from "./kit.ts";
import { manage } from "./manage.ts";
import { MODULES } from "./registry.ts";

export { ModuleScheduler } from "../../../durable-objects/module-scheduler.ts";

/**
 * Health like every worker's; the modules worker has no identity binding, so no caller is an
 * operator here and failing checks show their status only, never their error text.
 */
const health = healthRoutes<Env>(
  "modules",
  {
    d1: (env) => checks.d1(env.DB),
    durableObject: (env) => checks.durableObject(env.MODULE_SCHEDULER),
    delivery: (env) => checks.service(env.DELIVERY),
  },
  () => ({ authenticate: async () => null }) as unknown as Authenticator,
);

/**
 * The first-party modules worker. The router calls it over RPC only (no public route runs a
 * module): `call` is the marketplace call/reply contract; the other methods serve the router's
 * hooks (`{counter:name}` in text commands, alias expansion) and the catalogue.
 */
export default class Modules extends WorkerEntrypoint<Env> implements ModulesRpc {
  override fetch(request: Request): Response | Promise<Response> {
    return health.fetch(request, this.env, this.ctx);
  }

  async ping(): Promise<string> {
    return "pong";
  }

  /**
   * Runs one module. The payload is validated here (the router is trusted, but a contract is
   * checked where it is read); an unknown handler or a failing module is an empty answer plus a
   * log line, never an exception across the binding.
   */
  async call(handler: string, payload: unknown): Promise<ModuleAnswer> {
    const mod = MODULES[handler];
    const parsed = ModuleCallSchema.safeParse(payload);
    if (!mod || !parsed.success) {
      log.warn("module call refused", {
        handler,
        error: parsed.success ? "unknown handler" : z.prettifyError(parsed.error),
      });
      return { replies: [] };
    }
    const ctx = contextFor(this.env, parsed.data);
    const run = parsed.data.command ? mod.command : mod.event;
    return { replies: run ? await run(ctx) : [] };
  }

  async catalog(): Promise<OfficialManifest[]> {
    return Object.values(MODULES).map((m) => m.manifest);
  }

  async counterValues(communityId: string, names: string[]): Promise<Record<string, number>> {
    return counterValues(createDb(this.env.DB), communityId, names);
  }

  async content(communityId: string): Promise<ModuleContent> {
    return moduleContent(createDb(this.env.DB), this.env.DB, String(communityId));
  }

  async deleteQuote(communityId: string, number: number): Promise<string | null> {
    if (!Number.isInteger(number) || number < 1) return null;
    return deleteQuote(this.env.DB, String(communityId), number);
  }

  /** A portal change (the router's API checked who may make it and the input); checked again here. */
  async manage(communityId: string, op: unknown): Promise<ManageResult> {
    const parsed = ManageOpSchema.safeParse(op);
    if (!parsed.success) return { ok: false, status: 400, message: z.prettifyError(parsed.error) };
    return manage(this.env, createDb(this.env.DB), String(communityId), parsed.data, Date.now());
  }

  async calendarEvents(communityId: string) {
    return listEvents(createDb(this.env.DB), String(communityId), Date.now());
  }

  async decideCalendarEvent(communityId: string, number: number, decision: CalendarDecision, by: string) {
    if (!Number.isInteger(number) || number < 1 || (decision !== "approved" && decision !== "rejected"))
      return { error: "missing" as const };
    const db = createDb(this.env.DB);
    return decideEvent(this.env, db, String(communityId), number, decision, String(by).slice(0, 200), Date.now());
  }

  async removeCalendarEvent(communityId: string, number: number) {
    if (!Number.isInteger(number) || number < 1) return null;
    return removeByNumber(this.env, createDb(this.env.DB), String(communityId), number);
  }

  async calendarFeedToken(communityId: string, rotate: boolean): Promise<string> {
    const db = createDb(this.env.DB);
    return (rotate ? rotateFeed : feedToken)(this.env, db, String(communityId));
  }

  async calendarIcs(token: string): Promise<string | null> {
    return feedIcs(createDb(this.env.DB), String(token), Date.now());
  }

  async spotifyPoll(communityId: string, on: boolean): Promise<void> {
    const scheduler = schedulerFor(this.env, String(communityId));
    await (on ? scheduler.pollSpotify(String(communityId), 2_000) : scheduler.stopSpotify());
  }

  async expandAlias(communityId: string, name: string, rawArgs: string): Promise<string | null> {
    return expandAlias(createDb(this.env.DB), communityId, name, String(rawArgs).slice(0, 4000));
  }
}
