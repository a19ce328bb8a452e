import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { log } from "../../../lib/log.ts";
import { released } from "../../../lib/rpc.ts";
import type { AppEnv } from "./env.ts";

const CONFIG = {
  openapi: "3.1.0",
  info: {
    title: "WaddleBot admin API",
    version: "1.0.0",
    description:
      "Every admin endpoint, on the router's origin. Identity endpoints (auth, keys, audit, members, linking) are served by the identity worker and reached here through the router.",
  },
};

type Doc = {
  paths?: Record<string, unknown>;
  components?: Record<string, Record<string, unknown> | undefined>;
  tags?: unknown[];
};

/** Merges the identity worker's document into the router's: one document for one API. */
function mergeDocuments(router: Doc, identity: Doc): Doc {
  const components: Record<string, Record<string, unknown>> = {};
  for (const doc of [identity, router]) {
    for (const [kind, entries] of Object.entries(doc.components ?? {})) {
      components[kind] = { ...components[kind], ...entries };
    }
  }
  return { ...router, paths: { ...identity.paths, ...router.paths }, components };
}

let cached: Doc | undefined;

/**
 * `GET /api/v1/openapi.json`: generated from the zod schemas of both workers' routes, merged,
 * and cached per isolate (it only changes on deploy).
 */
export function openapiHandler(app: OpenAPIHono<AppEnv>) {
  return async (c: Context<AppEnv>) => {
    if (!cached) {
      const own = app.getOpenAPI31Document(CONFIG) as Doc;
      try {
        cached = mergeDocuments(own, released(await c.env.IDENTITY.openapiDocument()) as Doc);
      } catch (err) {
        // Serve the router's half rather than nothing; do not cache a partial document.
        log.warn("identity OpenAPI document unavailable", { error: err });
        return c.json(own);
      }
    }
    return c.json(cached);
  };
}
