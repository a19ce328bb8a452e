/**
 * The one way out (DESIGN.md, "The flow of one chat message", step 7): anything that speaks
 * without an incoming event hands a message to `deliver`, reached over RPC as the webhooks
 * worker's `DeliveryService` (binding `DELIVERY`). It validates the request, checks that the
 * target belongs to the community (lib/delivery/targets.ts) and queues it in the target's
 * Outbox, which applies the platform's send limits and retries.
 */
import * as z from "zod";
import type { Outbox } from "../../durable-objects/outbox.ts";
import type { PlatformConfig } from "../config.ts";
import { log } from "../log.ts";
import { enqueueOne } from "../platforms/deliver.ts";
import { type DeliveryRequest, DeliveryRequestSchema, toOutboxMessage } from "./request.ts";
import { checkChannel, checkUser } from "./targets.ts";

interface DeliveryServiceEnv extends PlatformConfig {
  DB: D1Database;
  OUTBOX: DurableObjectNamespace<Outbox>;
}

/**
 * What became of a send. Plain data (it crosses RPC) and never an exception for bad input:
 * `invalid` (with the zod issues) and `refused` (target outside the community) are the caller's
 * to fix; `failed` means the platform refused it for good; `queued` goes out within the limits.
 */
export type DeliveryResult =
  | { ok: true; status: "sent" | "queued" }
  | { ok: false; error: "invalid"; message: string; issues: z.core.$ZodIssue[] }
  | { ok: false; error: "refused" | "failed" | "full"; message: string };

export async function deliver(env: DeliveryServiceEnv, input: unknown): Promise<DeliveryResult> {
  const parsed = DeliveryRequestSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, error: "invalid", message: z.prettifyError(parsed.error), issues: parsed.error.issues };
  }
  const request: DeliveryRequest = parsed.data;
  if (request.communityId) {
    const check = request.channel
      ? await checkChannel(env, request.communityId, request.platform, request.channel)
      : await checkUser(env, request.communityId, request.platform, request.user!);
    if (!check.ok) {
      log.warn("delivery refused", { communityId: request.communityId, platform: request.platform });
      return { ok: false, error: "refused", message: check.message };
    }
  }
  const { status } = await enqueueOne(env, toOutboxMessage(request));
  if (status === "failed") return { ok: false, error: "failed", message: `${request.platform} refused the message` };
  if (status === "full") return { ok: false, error: "full", message: "Too many messages are waiting for this target" };
  return { ok: true, status };
}
