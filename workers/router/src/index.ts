import { WorkerEntrypoint } from "cloudflare:workers";
import { type ChatEvent, ChatEventSchema, type EventOutcome } from "../../../lib/events/chat-event.ts";
import { isEventsQueue } from "../../../lib/events/queued-event.ts";
import { isSimulatedUserId } from "../../../lib/events/simulated.ts";
import { apiCors } from "../../../lib/http/cors.ts";
import { checks, healthRoutes } from "../../../lib/http/health.ts";
import { createApiApp, registerSecurity } from "../../../lib/http/openapi.ts";
import { log } from "../../../lib/log.ts";
import type { CommandSummary, CommunityPlatformRef, ResolvedEvent, RouterRpc } from "../../../lib/rpc.ts";
import { adminSecretsRoutes } from "./admin/secrets.routes.ts";
import { routerBodyLimit } from "./body-limits.ts";
import { commandsRoutes } from "./commands/commands.routes.ts";
import { cooldownsRoutes } from "./commands/cooldowns.routes.ts";
import { listCommands } from "./commands/list.ts";
import { communitiesRoutes } from "./communities/communities.routes.ts";
import { createCommunityRoutes } from "./communities/create.routes.ts";
import { botRoutes } from "./connections/bot.routes.ts";
import { callbackRoutes } from "./connections/callback.routes.ts";
import { connectionsRoutes } from "./connections/connections.routes.ts";
import type { AppEnv, Env } from "./env.ts";
import { batchRoutes } from "./events/batch.routes.ts";
import { consumeEvents } from "./events/consume.ts";
import { handleEvent } from "./events/handle-event.ts";
import { simulateRoutes } from "./events/simulate.routes.ts";
import { executionsRoutes } from "./executions/executions.routes.ts";
import { calendarRoutes } from "./first-party/calendar.routes.ts";
import { calendarFeed } from "./first-party/calendar-feed.ts";
import { firstPartyRoutes } from "./first-party/content.routes.ts";
import { firstPartyManageRoutes } from "./first-party/manage.routes.ts";
import { identityProxy } from "./identity-proxy.ts";
import { entityGroupsRoutes } from "./labels/entity-groups.routes.ts";
import { labelsRoutes } from "./labels/labels.routes.ts";
import { memberLabelsRoutes } from "./labels/member-labels.routes.ts";
import { maybeReconcile } from "./labels/reconcile.ts";
import { consumeRoleSync } from "./labels/role-sync.ts";
import { authorAnalyticsRoutes, installationAnalyticsRoutes } from "./marketplace/analytics.routes.ts";
import { catalogRoutes } from "./marketplace/catalog.routes.ts";
import { officialCatalog } from "./marketplace/first-party.ts";
import { installationsRoutes } from "./marketplace/installations.routes.ts";
import { installationPatchRoutes } from "./marketplace/installations-patch.routes.ts";
import { migrateLegacyModules } from "./marketplace/migrate-legacy.ts";
import { reviewsRoutes } from "./marketplace/reviews.routes.ts";
import { stripeWebhook } from "./marketplace/stripe-webhook.ts";
import { versionsRoutes } from "./marketplace/versions.routes.ts";
import { metricsRoutes } from "./metrics.ts";
import { moderationRoutes } from "./moderation/moderation.routes.ts";
import { moderationTestRoutes } from "./moderation/moderation-test.routes.ts";
import { modulesRoutes } from "./modules/modules.routes.ts";
import { musicRoutes } from "./music/music.routes.ts";
import { gettingStartedRoutes } from "./onboarding/getting-started.routes.ts";
import { openapiHandler } from "./openapi-doc.ts";
import { overlaysRoutes } from "./overlays/overlays.routes.ts";
import { overlayPages } from "./overlays/pages.ts";
import { platformsRoutes } from "./platforms/platforms.routes.ts";
import { pruneExpired } from "./retention/retention.ts";
import { statsRoutes } from "./stats/stats.routes.ts";
import { systemHealthRoutes } from "./system/health.routes.ts";
import { workflowExecutionsRoutes } from "./workflows/executions.routes.ts";
import { workflowCatalogRoutes, workflowExtrasRoutes } from "./workflows/extras.routes.ts";
import { hookIngress } from "./workflows/hook-ingress.ts";
import { workflowHooksRoutes } from "./workflows/hooks.routes.ts";
import { workflowsRoutes } from "./workflows/workflows.routes.ts";

export { OverlayRoom } from "../../../durable-objects/overlay-room.ts";
export { RateLimiter } from "../../../durable-objects/rate-limiter.ts";
export { RouterSession } from "../../../durable-objects/session.ts";
export { WorkflowScheduler } from "../../../durable-objects/workflow-scheduler.ts";
export { WorkflowRunner } from "./workflows/engine.ts";

const app = createApiApp<AppEnv>();
// CORS first: a preflight carries neither credentials nor a body.
app.use("/api/*", apiCors());
// Before every route: no /api/* handler (nor the identity proxy) sees an oversized body.
app.use("/api/*", routerBodyLimit);

const health = healthRoutes<Env>(
  "router",
  {
    d1: (env) => checks.d1(env.DB),
    durableObject: (env) => checks.durableObject(env.RATE_LIMITER),
    identity: (env) => checks.service(env.IDENTITY),
    // The way out (replies, workflow messages) and the first-party modules: without either the
    // router still answers, but not fully, so a broken binding shows here.
    delivery: (env) => checks.service(env.DELIVERY),
    modules: (env) => (env.MODULES ? checks.service(env.MODULES) : Promise.reject(new Error("MODULES is not bound"))),
  },
  (c) => c.env.IDENTITY,
);
app.route("/", health);
app.route("/", metricsRoutes);

// Members' labels are the router's, so they come before the identity proxy's /members/*.
app.route("/api/v1/communities", memberLabelsRoutes);
// Identity's paths first: /api/v1/communities/{id}/members belongs to the identity worker.
app.route("/", identityProxy);
app.route("/api/v1/communities", communitiesRoutes);
app.route("/api/v1/communities", createCommunityRoutes);
app.route("/api/v1/communities", commandsRoutes);
app.route("/api/v1/communities", cooldownsRoutes);
app.route("/api/v1/communities", moderationRoutes);
app.route("/api/v1/communities", modulesRoutes);
app.route("/api/v1/communities", platformsRoutes);
app.route("/api/v1/communities", connectionsRoutes);
app.route("/api/v1", botRoutes);
app.route("/", callbackRoutes);
app.route("/api/v1/communities", musicRoutes);
app.route("/api/v1/communities", moderationTestRoutes);
app.route("/api/v1/communities", statsRoutes);
app.route("/api/v1/communities", gettingStartedRoutes);
app.route("/api/v1/communities", executionsRoutes);
app.route("/api/v1/communities", simulateRoutes);
app.route("/api/v1/events", batchRoutes);
app.route("/api/v1/admin", adminSecretsRoutes);
app.route("/api/v1", systemHealthRoutes(health));
app.route("/api/v1/communities", overlaysRoutes);
app.route("/api/v1/communities", labelsRoutes);
app.route("/api/v1/communities", entityGroupsRoutes);
// The first-party modules are in the catalogue before anyone browses or installs (first-party.ts).
app.use("/api/v1/marketplace/*", officialCatalog);
app.use("/api/v1/communities/:communityId/installations", officialCatalog);
app.route("/api/v1/marketplace", catalogRoutes);
app.route("/api/v1/marketplace", versionsRoutes);
app.route("/api/v1/marketplace", reviewsRoutes);
app.route("/api/v1/marketplace", authorAnalyticsRoutes);
app.route("/api/v1/communities", installationAnalyticsRoutes);
app.route("/api/v1/communities", installationsRoutes);
app.route("/api/v1/communities", installationPatchRoutes);
app.route("/api/v1/communities", firstPartyRoutes);
app.route("/api/v1/communities", firstPartyManageRoutes);
app.route("/api/v1/communities", calendarRoutes);
// Public: the iCal feed is a capability URL (calendar apps send no credentials).
app.route("/calendar", calendarFeed);
app.route("/", stripeWebhook);
app.route("/overlay", overlayPages);
// Workflows: from-template before {workflowId}, so the literal path is not read as an id.
app.route("/api/v1/communities", workflowExtrasRoutes);
app.route("/api/v1/communities", workflowsRoutes);
app.route("/api/v1/communities", workflowHooksRoutes);
app.route("/api/v1/communities", workflowExecutionsRoutes);
app.route("/api/v1", workflowCatalogRoutes);
// Public, signed per webhook (not under /api/v1: no session or API key; see hook-ingress.ts).
app.route("/", hookIngress);

registerSecurity(app);
app.get("/api/v1/openapi.json", openapiHandler(app));

/**
 * The router worker. HTTP (admin API, portal, overlays, /metrics) goes through `fetch`; the
 * webhooks worker calls `handleEvent` over RPC with an already-verified, normalised event.
 */
export default class Router extends WorkerEntrypoint<Env> implements RouterRpc {
  override fetch(request: Request): Response | Promise<Response> {
    return app.fetch(request, this.env, this.ctx);
  }

  async ping(): Promise<string> {
    return "pong";
  }

  /**
   * Moderation, commands, modules for one event; replies are returned, never sent from here.
   * An event that does not validate is logged and ignored (bad input never throws across RPC).
   *
   * With `resolved`, the caller is the webhooks worker: it built the event with ChatEventSchema
   * (its one parse, at the public boundary) and resolved the community, so neither is done again
   * here. This entry is reachable only through a service binding, never from the internet. The
   * one check kept costs nothing and guards the invariant that matters most across the hop: a
   * platform event never carries a simulated (`sim:`) user. Without `resolved` (the old
   * signature: tests, scripts, other callers) the event is parsed in full as before.
   */
  async handleEvent(event: ChatEvent, resolved?: ResolvedEvent): Promise<EventOutcome> {
    if (resolved?.communityId) {
      if (typeof event?.user?.id !== "string" || isSimulatedUserId(event.user.id)) {
        log.warn("event with a simulated or missing user ignored", { eventId: event?.id });
        return { status: "ignored", replies: [] };
      }
      return handleEvent(this.env, this.ctx, event, resolved.communityId);
    }
    const parsed = ChatEventSchema.safeParse(event);
    if (!parsed.success) {
      log.warn("invalid ChatEvent ignored", { issues: parsed.error.issues.slice(0, 5) });
      return { status: "ignored", replies: [] };
    }
    return handleEvent(this.env, this.ctx, parsed.data);
  }

  async listCommands(community: CommunityPlatformRef): Promise<CommandSummary[]> {
    return listCommands(this.env, community);
  }

  /**
   * The Cron Trigger (`[triggers]` in wrangler.toml): retention, so no table grows without bound;
   * once a night also the entity-group reconcile (labels/reconcile.ts).
   */
  override async scheduled(controller: ScheduledController): Promise<void> {
    await pruneExpired(this.env, controller.scheduledTime);
    await maybeReconcile(this.env, controller.scheduledTime);
    // Communities' own modules move onto versions + installations (secrets sealed per installation).
    await migrateLegacyModules(this.env);
  }

  /**
   * The queues this worker consumes (wrangler.toml): the events the webhooks worker acknowledged
   * (and their dead letters), routed here in this isolate (events/consume.ts); and entity-group
   * role changes on the platforms (labels/role-sync.ts).
   */
  override async queue(batch: MessageBatch<unknown>): Promise<void> {
    if (isEventsQueue(batch.queue)) await consumeEvents(this.env, this.ctx, batch);
    else await consumeRoleSync(this.env, batch);
  }
}

/**
 * The same class under a name, for callers that only use RPC (the webhooks worker binds
 * `entrypoint = "RouterEntrypoint"`): a service binding to the default entrypoint of a Worker
 * with static assets goes through the assets layer first (locally Miniflare's RPC proxy Worker,
 * one more isolate hop per call: ~75 µs of CPU per event in the router bench); a named
 * entrypoint is bound to the Worker itself.
 */
export { Router as RouterEntrypoint };
