import * as z from "zod";
import { BotReplySchema } from "../../../../lib/events/chat-event.ts";

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
}

/**
 * A module's answer, validated: whatever else a module sends is refused (a module answering
 * garbage is an error in the executions log, never a crash or a bad chat message).
 * Reply types (seeds): chat → the platform; media, ticker, general, form → the overlay room.
 */
export const ModuleResponseSchema = z.object({
  replies: z.array(BotReplySchema).max(10).default([]),
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

/** Reads and validates a module's JSON answer. */
export async function readModuleResponse(res: Response): Promise<ModuleResponse> {
  const text = await res.text();
  if (!res.ok) throw new ModuleError("error", `module answered HTTP ${res.status}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
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

/** fetch with a deadline; a timeout becomes ModuleError("timeout"). */
export async function fetchWithTimeout(request: Request, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(request, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === "TimeoutError" || name === "AbortError") {
      throw new ModuleError("timeout", `module did not answer within ${timeoutMs} ms`);
    }
    throw new ModuleError("error", `module unreachable: ${(err as Error).message?.slice(0, 200)}`);
  }
}
