/** A platform API call that failed. `retryAfterMs` is set when the platform said when to retry. */
export class PlatformError extends Error {
  // Plain fields, not constructor parameter properties: Node's type stripping (the scripts)
  // cannot run parameter properties.
  readonly platform: "discord" | "twitch" | "slack";
  readonly status: number;
  readonly retryAfterMs?: number;
  /** The platform's own error code when it names one (Slack's `error`, e.g. "cant_delete_message"). */
  readonly code?: string;

  constructor(
    platform: PlatformError["platform"],
    status: number,
    message: string,
    retryAfterMs?: number,
    code?: string,
  ) {
    super(message);
    this.name = "PlatformError";
    this.platform = platform;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
    this.code = code;
  }

  /** 429, 5xx and network failures are worth retrying; 4xx are not. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

const PLATFORM_TIMEOUT_MS = 5_000;

/**
 * fetch with a timeout that reads the body as JSON when there is one. Network failures and
 * timeouts become a PlatformError with status 0, so callers handle one error type.
 */
export async function platformFetch(
  platform: PlatformError["platform"],
  url: string,
  init: RequestInit,
  timeoutMs = PLATFORM_TIMEOUT_MS,
): Promise<{ status: number; headers: Headers; body: unknown }> {
  // A timer cleared when the answer is in (not AbortSignal.timeout): a pending timer keeps a
  // Durable Object busy for its whole length after the request is long done.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { ...init, signal: controller.signal });
    text = await res.text();
  } catch (err) {
    throw new PlatformError(platform, 0, `request to ${platform} failed: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  let body: unknown = text;
  if (text && res.headers.get("content-type")?.includes("json")) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, headers: res.headers, body };
}

/** Reads a Retry-After header (seconds) into milliseconds. */
export function retryAfterHeader(headers: Headers): number | undefined {
  const value = headers.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) ? Math.max(0, seconds * 1000) : undefined;
}
