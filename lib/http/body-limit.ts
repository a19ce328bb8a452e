import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { PayloadTooLarge } from "./errors.ts";

/** What any API request body may weigh unless its route is listed as needing more. */
const DEFAULT_API_BODY_BYTES = 64 * 1024;

/** A route that legitimately carries more, by its path. */
interface LargerBody {
  path: RegExp;
  maxBytes: number;
}

/**
 * One body cap for a whole API (mount it once on `/api/*`, before the routes): 413 with the
 * envelope (via onError) when the body is over the cap. Hono's bodyLimit checks a declared
 * Content-Length up front and counts the streamed bytes of a chunked body (no length), so a
 * sender that omits or lies about the length is refused too, before any handler parses it.
 */
export function apiBodyLimit(larger: LargerBody[] = [], defaultBytes = DEFAULT_API_BODY_BYTES): MiddlewareHandler {
  const limiter = (maxBytes: number) =>
    bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw new PayloadTooLarge(maxBytes);
      },
    });
  const fallback = limiter(defaultBytes);
  const routes = larger.map((route) => ({ path: route.path, limit: limiter(route.maxBytes) }));
  return (c, next) => (routes.find((route) => route.path.test(c.req.path))?.limit ?? fallback)(c, next);
}
