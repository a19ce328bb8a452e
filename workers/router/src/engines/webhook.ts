import type * as z from "zod";
import { hmacSha256Hex } from "../../../../lib/crypto/hmac.ts";
import type { OutboundPolicy } from "../../../../lib/outbound/url-guard.ts";
import type { WebhookConfig } from "../modules/config.ts";
import { callModule, type ModulePayload, type ModuleResponse } from "./types.ts";

/** Header names a webhook module sees (and verifies: the signature is over `${timestamp}.${body}`). */
export const WEBHOOK_HEADERS = {
  timestamp: "X-WaddleBot-Timestamp",
  signature: "X-WaddleBot-Signature",
  module: "X-WaddleBot-Module",
  community: "X-WaddleBot-Community",
  event: "X-WaddleBot-Event-Id",
  session: "X-WaddleBot-Session",
  /** Marketplace installs: the installation whose secret signed the call (an author keeps one per community). */
  installation: "X-WaddleBot-Installation",
} as const;

/** `sha256=<hex>` over `${timestamp}.${body}` with the module's secret. */
export async function signWebhook(secret: string, timestamp: string, body: string): Promise<string> {
  return `sha256=${await hmacSha256Hex(secret, `${timestamp}.${body}`)}`;
}

/**
 * Calls a webhook module: a signed JSON POST, answered within the module's timeout with a
 * JSON `{ replies: [...] }`. The timestamp (Unix seconds) lets the module refuse replays.
 */
export async function invokeWebhook(
  moduleName: string,
  config: z.infer<typeof WebhookConfig>,
  payload: ModulePayload,
  policy: OutboundPolicy,
): Promise<ModuleResponse> {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const request = new Request(config.url, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "user-agent": "WaddleBot-Router/1",
      [WEBHOOK_HEADERS.timestamp]: timestamp,
      [WEBHOOK_HEADERS.signature]: await signWebhook(config.secret, timestamp, body),
      [WEBHOOK_HEADERS.module]: moduleName,
      [WEBHOOK_HEADERS.community]: payload.communityId,
      [WEBHOOK_HEADERS.event]: payload.eventId,
      [WEBHOOK_HEADERS.session]: payload.sessionId,
      ...(payload.installationId && { [WEBHOOK_HEADERS.installation]: payload.installationId }),
    },
  });
  return callModule(request, policy, config.timeoutMs);
}
