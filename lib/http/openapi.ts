import { OpenAPIHono } from "@hono/zod-openapi";
import type { Env as HonoEnv } from "hono";
import { validationHook, withConventions } from "./app.ts";

/**
 * An app for APIs described by the OpenAPI document: routes are declared with zod schemas
 * (`createRoute`), validated by them, and listed in `/api/v1/openapi.json`.
 */
export function createApiApp<E extends HonoEnv>() {
  return withConventions(new OpenAPIHono<E>({ defaultHook: validationHook }));
}
