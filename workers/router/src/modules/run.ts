import type { BotReply } from "../../../../lib/events/chat-event.ts";
import { type OutboundPolicy, outboundPolicy } from "../../../../lib/outbound/url-guard.ts";
import { BUILTINS } from "../commands/builtins.ts";
import { invokeLambda } from "../engines/lambda.ts";
import { invokeOpenWhisk } from "../engines/openwhisk.ts";
import { ModuleError, type ModulePayload, type ModuleResponse } from "../engines/types.ts";
import { invokeWebhook } from "../engines/webhook.ts";
import type { Deferrer, Env } from "../env.ts";
import { type RoutedEvent, wouldDo } from "../events/routed-event.ts";
import { callFirstParty } from "../marketplace/first-party.ts";
import { installationEngine, unpaidNotice } from "../marketplace/run-installed.ts";
import { routeOverlayReplies } from "../overlays/route-overlay-replies.ts";
import { createSession, newSessionId } from "../sessions/sessions.ts";
import type { EngineConfig, ModuleDef } from "./config.ts";

export interface ModuleRun {
  replies: BotReply[];
  status: "success" | "error" | "timeout";
  error?: string;
  durationMs: number;
}

async function invoke(
  env: Env,
  policy: OutboundPolicy,
  mod: EngineConfig & { name: string; installation?: ModuleDef["installation"] },
  payload: ModulePayload,
  builtin: () => ModuleResponse | Promise<ModuleResponse>,
): Promise<ModuleResponse> {
  switch (mod.engine) {
    case "webhook":
      return invokeWebhook(mod.name, mod.config, payload, policy);
    case "lambda":
      return invokeLambda(mod.config, payload, policy);
    case "openwhisk":
      return invokeOpenWhisk(mod.config, payload, policy);
    case "builtin":
      // A marketplace install whose handler is not one of the router's own built-ins (!ping,
      // !help…) is a first-party module: it runs in the modules worker.
      return mod.installation && !BUILTINS[mod.config.handler]
        ? callFirstParty(env, mod.config.handler, payload)
        : builtin();
  }
}

/**
 * Runs one module for an event (a simulated one too: trying a module is the point of simulate;
 * the payload then says `simulated: true` and carries the synthetic user). Every call carries a
 * session id; the session itself (`sess_…`, one hour, a RouterSession Durable Object) is stored
 * only when the module's answer asks for it (`session: true`), for a live call: a Durable Object
 * write per module call that nothing read was the cost before. The answer is validated; chat
 * replies are returned and live overlay replies are also handed to the room.
 * Never throws: a failing module is a result with status error/timeout, so one module never
 * drops the others.
 */
export async function runModule(
  env: Env,
  ctx: Deferrer,
  mod: ModuleDef,
  communityId: string,
  event: RoutedEvent,
  payloadExtras: Pick<ModulePayload, "command"> & { level: string },
  builtin: () => ModuleResponse | Promise<ModuleResponse> = () => ({ replies: [] }),
): Promise<ModuleRun> {
  const started = Date.now();
  const installed = mod.installation;
  if (installed?.blocked) {
    // A paid module whose subscription lapsed: it is not called; chat hears why once an hour.
    const replies = event.simulated ? [] : await unpaidNotice(env, mod);
    return { replies, status: "error", error: "subscription not active", durationMs: Date.now() - started };
  }
  const sessionId = newSessionId();
  // A community's alias reaches the module as the module's own command name.
  const command = payloadExtras.command && {
    ...payloadExtras.command,
    name: installed?.aliases[payloadExtras.command.name] ?? payloadExtras.command.name,
  };
  const payload: ModulePayload = {
    sessionId,
    eventId: event.id,
    eventType: event.type,
    communityId,
    platform: event.platform,
    channel: event.channel,
    user: {
      id: event.user.id,
      username: event.user.username,
      displayName: event.user.displayName,
      level: payloadExtras.level,
    },
    command,
    text: event.text,
    data: event.data,
    simulated: event.simulated,
    ...(installed && { installationId: installed.id, settings: installed.settings }),
  };
  try {
    const engine = installed
      ? { ...(await installationEngine(env, mod)), name: mod.name, installation: installed }
      : mod;
    const response = await invoke(env, outboundPolicy(env), engine, payload, builtin);
    // A simulated call's session is never stored: a module answering later finds none, so it
    // can never speak in a real channel on a try's behalf.
    if (response.session && mod.engine !== "builtin" && event.simulated) {
      wouldDo(event, `keep a session for ${mod.name}`);
    } else if (response.session && mod.engine !== "builtin") {
      // Awaited, so the session exists before the module could use it.
      await createSession(env, sessionId, {
        communityId,
        platform: event.platform,
        userId: event.user.id,
        username: event.user.username,
        channelId: event.channel.id,
        eventId: event.id,
        command: payloadExtras.command ? payloadExtras.command.prefix + payloadExtras.command.name : undefined,
        moduleId: mod.id,
      });
    }
    const overlay = response.replies.filter((r) => r.type !== "chat");
    // Simulated overlay replies come back as a preview only: the streamer's OBS never shows them.
    if (overlay.length && event.simulated) wouldDo(event, `publish ${overlay.length} overlay update(s)`);
    else if (overlay.length) ctx.waitUntil(routeOverlayReplies(env, communityId, overlay));
    return { replies: response.replies, status: "success", durationMs: Date.now() - started };
  } catch (err) {
    const status = err instanceof ModuleError ? err.status : "error";
    const error = err instanceof ModuleError ? err.message : "module failed";
    return { replies: [], status, error, durationMs: Date.now() - started };
  }
}
