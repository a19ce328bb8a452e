import { Hono, type Env as HonoEnv } from "hono";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { ZodError, type ZodError as ZodErrorType } from "zod";
import { log } from "../log.ts";
import { envelope } from "./envelope.ts";
import { BadRequest, HttpError, NotFound } from "./errors.ts";

/**
 * Turns any thrown value into the envelope. HttpErrors speak for themselves; zod errors are
 * bad input; Hono's own exceptions (e.g. a body-limit hit) keep their status; everything else
 * is logged with the request id and answered with a generic 500.
 */
function errorResponse(err: unknown, requestIdValue?: string): Response {
  if (err instanceof HttpError) return err.toResponse();
  if (err instanceof ZodError) return new BadRequest("Invalid input", err.issues).toResponse();
  if (err instanceof HTTPException) {
    const status = err.status;
    return Response.json(envelope(false, null, err.message || "Request failed"), { status });
  }
  log.error("unhandled error", { requestId: requestIdValue, error: err });
  return Response.json(envelope(false, null, "Internal server error"), { status: 500 });
}

/** Validation hook: invalid input becomes a 400 carrying the zod issues, via onError. */
export const validationHook = (result: { success: boolean; error?: ZodErrorType }) => {
  if (!result.success && result.error) {
    throw new BadRequest("Invalid input", result.error.issues);
  }
};

/** Adds request ids, the one onError and the JSON 404 to an app. */
// biome-ignore lint/suspicious/noExplicitAny: any Hono app, whatever its bindings.
export function withConventions<A extends Hono<any>>(app: A): A {
  app.use("*", requestId());
  app.onError((err, c) => errorResponse(err, c.get("requestId")));
  app.notFound(() => new NotFound("No such route").toResponse());
  return app;
}

/**
 * A Hono app with the house conventions: request ids, one onError owning the error shape,
 * a JSON 404. Platform ingress uses this (no OpenAPI machinery in its bundle).
 */
export function createApp<E extends HonoEnv>() {
  return withConventions(new Hono<E>());
}
