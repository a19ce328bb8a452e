import { readStreamCapped } from "../http/body.ts";
import { checkOutboundUrl, type OutboundPolicy } from "./url-guard.ts";

/** Answers larger than this are refused (a module reply is a few chat lines, not a download). */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;

type OutboundFailure = "refused" | "redirect" | "timeout" | "unreachable" | "too_large";

/**
 * Why an outbound call failed. The message is safe to show the community: it names our rule
 * or our limit, never the target's status text, body or network error (which would turn the
 * executions log into a port scanner's report).
 */
export class OutboundError extends Error {
  readonly kind: OutboundFailure;
  constructor(kind: OutboundFailure, message: string) {
    super(message);
    this.name = "OutboundError";
    this.kind = kind;
  }
}

interface SafeFetchOptions {
  policy: OutboundPolicy;
  timeoutMs: number;
  /** Body bytes read at most; 0 discards the body unread. Default 256 KiB. */
  maxBytes?: number;
}

/** An answer whose body was read within the cap. */
export interface SafeResponse {
  status: number;
  ok: boolean;
  headers: Headers;
  body: string;
}

/** Reads a body chunk by chunk and stops as soon as it passes the cap (never buffers more). */
async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  const bytes = await readStreamCapped(
    body,
    maxBytes,
    () => new OutboundError("too_large", `the answer is larger than ${maxBytes} bytes`),
  );
  return new TextDecoder().decode(bytes);
}

/**
 * The one way to call a community-controlled URL: the URL is checked against the SSRF guard,
 * redirects are not followed (a 3xx is an error: its Location was never checked), the whole
 * exchange (headers and body) has a deadline, and the body is read with a byte cap.
 */
export async function safeFetch(request: Request, opts: SafeFetchOptions): Promise<SafeResponse> {
  const check = checkOutboundUrl(request.url, opts.policy);
  if (!check.ok) throw new OutboundError("refused", `URL refused: ${check.reason}`);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const signal = AbortSignal.timeout(opts.timeoutMs);
  try {
    const res = await fetch(request, { redirect: "manual", signal });
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => {});
      throw new OutboundError("redirect", "the endpoint answered with a redirect, and redirects are not followed");
    }
    const declared = Number(res.headers.get("content-length"));
    if (maxBytes > 0 && declared > maxBytes) {
      await res.body?.cancel().catch(() => {});
      throw new OutboundError("too_large", `the answer is larger than ${maxBytes} bytes`);
    }
    if (maxBytes === 0) await res.body?.cancel().catch(() => {});
    const body = maxBytes === 0 ? "" : await readCapped(res.body, maxBytes);
    return { status: res.status, ok: res.ok, headers: res.headers, body };
  } catch (err) {
    if (err instanceof OutboundError) throw err;
    if (signal.aborted) throw new OutboundError("timeout", `no answer within ${opts.timeoutMs} ms`);
    throw new OutboundError("unreachable", "the endpoint could not be reached");
  }
}
