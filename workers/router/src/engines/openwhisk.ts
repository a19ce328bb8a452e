import type * as z from "zod";
import { toBase64, utf8 } from "../../../../lib/crypto/encoding.ts";
import type { OutboundPolicy } from "../../../../lib/outbound/url-guard.ts";
import type { OpenWhiskConfig } from "../modules/config.ts";
import { callModule, type ModulePayload, type ModuleResponse } from "./types.ts";

/**
 * Calls an Apache OpenWhisk action with a blocking invoke that returns only the result:
 * POST {apiHost}/api/v1/namespaces/{ns}/actions/{action}?blocking=true&result=true with
 * Basic auth (the namespace's "uuid:key"); the payload is the action's parameters.
 */
export async function invokeOpenWhisk(
  config: z.infer<typeof OpenWhiskConfig>,
  payload: ModulePayload,
  policy: OutboundPolicy,
): Promise<ModuleResponse> {
  const base = config.apiHost.replace(/\/+$/, "");
  const url = `${base}/api/v1/namespaces/${encodeURIComponent(config.namespace)}/actions/${config.action
    .split("/")
    .map(encodeURIComponent)
    .join("/")}?blocking=true&result=true`;
  const request = new Request(url, {
    method: "POST",
    body: JSON.stringify(payload),
    headers: { "content-type": "application/json", authorization: `Basic ${toBase64(utf8(config.auth))}` },
  });
  return callModule(request, policy, config.timeoutMs);
}
