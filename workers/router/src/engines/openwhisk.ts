import type * as z from "zod";
import { toBase64, utf8 } from "../../../../lib/crypto/encoding.ts";
import type { OpenWhiskConfig } from "../modules/config.ts";
import { fetchWithTimeout, type ModulePayload, type ModuleResponse, readModuleResponse } from "./types.ts";

/**
 * Calls an Apache OpenWhisk action with a blocking invoke that returns only the result:
 * POST {apiHost}/api/v1/namespaces/{ns}/actions/{action}?blocking=true&result=true with
 * Basic auth (the namespace's "uuid:key"); the payload is the action's parameters.
 */
export async function invokeOpenWhisk(
  config: z.infer<typeof OpenWhiskConfig>,
  payload: ModulePayload,
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
  return readModuleResponse(await fetchWithTimeout(request, config.timeoutMs));
}
