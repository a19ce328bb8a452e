import * as z from "zod";
import { BotReplySchema } from "../../../../lib/events/chat-event.ts";
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  OutboundError,
  type SafeResponse,
  safeFetch,
} from "../../../../lib/outbound/safe-fetch.ts";
import type { OutboundPolicy } from "../../../../lib/outbound/url-guard.ts";

/** A module's answer is read with this cap while streaming; more fails the execution. */
export const MAX_MODULE_RESPONSE_BYTES = DEFAULT_MAX_RESPONSE_BYTES;

/** What a module is sent: the event's context plus the command (if a command triggered it). */
export interface ModulePayload {
  sessionId: string;
  eventId: string;
  eventType: string;
  communityId: string;
  platform: string;
  channel: { id: string; name?: string };
  user: { id: string; username: string; displayName?: string; level: string };
  command?: { prefix: string; name: string; args: string[]; rawArgs: string };
  text?: string;
  data: Record<string, unknown>;
  /** True for a try from the admin API (the user is then synthetic, `sim:…`): act dry. */
  simulated: boolean;
  /** Marketplace modules: which installation calls (its own secret signs the call) and its settings. */
  installationId?: string;
  settings?: Record<string, unknown>;
}

/**
 * A module's answer, validated: whatever else a module sends is refused (a module answering
 * garbage is an error in the executions log, never a crash or a bad chat message).
 * Reply types (seeds): chat → the platform; media, ticker, general, form → the overlay room.
 */
export const ModuleResponseSchema = z.object({
  replies: z.array(BotReplySchema).max(10).default([]),
  /**
   * `true` asks the router to keep the call's session (`sessionId`, one hour) for an answer that
   * comes later. Only then is a RouterSession object written: most calls never need one.
   */
  session: z.boolean().optional(),
});
export type ModuleResponse = z.infer<typeof ModuleResponseSchema>;

/** Why a module call failed: `timeout` when it did not answer in time, `error` otherwise. */
export class ModuleError extends Error {
  constructor(
    readonly status: "error" | "timeout",
    message: string,
  ) {
    super(message);
    this.name = "ModuleError";
  }
}

/**
 * Calls a module through the one guarded fetch (SSRF guard, no redirects, deadline, byte
 * cap) and validates its JSON answer. Failures become a ModuleError whose message is ours:
 * the module's status text and body are never echoed into the executions log.
 */
export async function callModule(request: Request, policy: OutboundPolicy, timeoutMs: number): Promise<ModuleResponse> {
  return parseModuleResponse(await fetchModule(request, policy, timeoutMs));
}

/** safeFetch for module engines: an OutboundError becomes a ModuleError (timeout or error). */
export async function fetchModule(request: Request, policy: OutboundPolicy, timeoutMs: number): Promise<SafeResponse> {
  try {
    return await safeFetch(request, { policy, timeoutMs, maxBytes: MAX_MODULE_RESPONSE_BYTES });
  } catch (err) {
    if (!(err instanceof OutboundError)) throw new ModuleError("error", "module call failed");
    if (err.kind === "timeout") throw new ModuleError("timeout", `module did not answer within ${timeoutMs} ms`);
    throw new ModuleError("error", `module call failed: ${err.message}`);
  }
}

/** Validates a module's JSON answer (read within the cap by safeFetch). */
export function parseModuleResponse(res: SafeResponse): ModuleResponse {
  if (!res.ok) throw new ModuleError("error", `module answered HTTP ${res.status}`);
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    throw new ModuleError("error", "module answered something that is not JSON");
  }
  const parsed = ModuleResponseSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ModuleError("error", `module answer is invalid: ${first?.path.join(".") || "(root)"} ${first?.message}`);
  }
  return parsed.data;
}
