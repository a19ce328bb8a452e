import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context, Env as HonoEnv } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { validationHook, withConventions } from "./app.ts";
import { envelope } from "./envelope.ts";

/**
 * An app for APIs described by the OpenAPI document: routes are declared with zod schemas
 * (`createRoute`), validated by them, and listed in `/api/v1/openapi.json`.
 */
export function createApiApp<E extends HonoEnv>() {
  return withConventions(new OpenAPIHono<E>({ defaultHook: validationHook }));
}

/** A JSON request or response body, for route declarations (`...jsonContent(schema)`). */
export const jsonContent = <T extends z.ZodType>(schema: T) => ({ content: { "application/json": { schema } } });

/** The success envelope around a data schema, for route response declarations. */
export function envelopeOf<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), data, message: z.string(), timestamp: z.string() });
}

/** The error envelope, as every 4xx/5xx answers. */
export const ErrorEnvelope = z
  .object({ success: z.literal(false), data: z.unknown(), message: z.string(), timestamp: z.string() })
  .openapi("Error");

/** Standard error responses for a route's `responses`. */
export const errorResponses = (...codes: (400 | 401 | 402 | 403 | 404 | 409 | 410 | 413 | 429)[]) =>
  Object.fromEntries(
    codes.map((code) => [
      code,
      { description: ERROR_TEXT[code], content: { "application/json": { schema: ErrorEnvelope } } },
    ]),
  );

const ERROR_TEXT = {
  400: "Invalid input (data carries the zod issues)",
  401: "Not signed in",
  402: "Needs a higher licence tier",
  403: "Not allowed",
  404: "Not found",
  409: "Conflict",
  410: "Gone (spent or expired)",
  413: "Too large",
  429: "Too many requests (see Retry-After)",
} as const;

/** Answers with the success envelope. */
export function ok<T, S extends ContentfulStatusCode = 200>(c: Context, data: T, message = "OK", status?: S) {
  const body = { ...envelope(true, data, message), success: true as const };
  return c.json(body, (status ?? 200) as S);
}

/** Security schemes for the document: session cookie or API key. */
export function registerSecurity(app: { openAPIRegistry: OpenAPIHono["openAPIRegistry"] }) {
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An API key (wbk_…) made in the portal",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: "wb_session",
    description: "The portal session cookie",
  });
}

export const SECURITY: Record<string, string[]>[] = [{ apiKey: [] }, { session: [] }];
