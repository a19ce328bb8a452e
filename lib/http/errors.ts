import type { ContentfulStatusCode } from "hono/utils/http-status";
import { envelope } from "./envelope.ts";

/**
 * The one error family every worker throws. `onError` (see app.ts) turns it into the
 * envelope from DESIGN.md; anything that is not an HttpError becomes a generic 500 so
 * internal messages never leak.
 */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  toResponse(): Response {
    return Response.json(envelope(false, this.details ?? null, this.message), {
      status: this.status,
      headers: this.headers,
    });
  }
}

export class BadRequest extends HttpError {
  constructor(message = "Bad request", details?: unknown) {
    super(400, message, details);
  }
}
export class Unauthorized extends HttpError {
  constructor(message = "Authentication required") {
    super(401, message);
  }
}
export class PaymentRequired extends HttpError {
  constructor(message = "This feature needs a higher licence tier") {
    super(402, message);
  }
}
export class Forbidden extends HttpError {
  constructor(message = "You do not have permission to do that") {
    super(403, message);
  }
}
export class NotFound extends HttpError {
  constructor(message = "Not found") {
    super(404, message);
  }
}
export class MethodNotAllowed extends HttpError {
  constructor(allow: string[]) {
    super(405, "Method not allowed", null, { allow: allow.join(", ") });
  }
}
export class Conflict extends HttpError {
  constructor(message = "Conflict") {
    super(409, message);
  }
}
/** Something that existed once and is spent or expired for good (a used or expired one-time link). */
export class Gone extends HttpError {
  constructor(message = "Gone") {
    super(410, message);
  }
}
export class PayloadTooLarge extends HttpError {
  constructor(limitBytes: number) {
    super(413, `Request body is larger than ${limitBytes} bytes`);
  }
}
export class TooManyRequests extends HttpError {
  constructor(retryAfterSeconds: number, message = "Too many requests") {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super(429, message, { retryAfter: seconds }, { "retry-after": String(seconds) });
  }
}
export class ServiceUnavailable extends HttpError {
  constructor(message = "Service unavailable", details?: unknown) {
    super(503, message, details);
  }
}
