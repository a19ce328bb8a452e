/**
 * The admin API's routes as the published OpenAPI document lists them, with the permission
 * each declares (`x-permission`, written by lib/auth/routes.ts). The authorisation matrices
 * read routes from here, so a route added later is covered without touching a test.
 */
import { PERMISSION_EXTENSION } from "../../lib/auth/routes.ts";
import { call } from "./self.ts";

type Operation = { [PERMISSION_EXTENSION]?: string; security?: unknown[] };
type Doc = { paths: Record<string, Record<string, Operation>> };

export interface DocRoute {
  method: string;
  path: string;
  permission: string | undefined;
}

/** Every operation in the document served at /api/v1/openapi.json by the worker under test. */
export async function documentedRoutes(): Promise<DocRoute[]> {
  const doc = await (await call("/api/v1/openapi.json")).json<Doc>();
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      permission: op[PERMISSION_EXTENSION],
    })),
  );
}

/** Placeholder values for the other path parameters: well-formed, so only authorisation can refuse. */
const PARAMS: Record<string, string> = {
  commandId: crypto.randomUUID(),
  ruleId: crypto.randomUUID(),
  moduleId: crypto.randomUUID(),
  userId: crypto.randomUUID(),
  keyId: crypto.randomUUID(),
  type: "ticker",
  platform: "twitch",
  platformUserId: "123",
};

/** The route's path with `communityId` filled in and every other parameter a placeholder. */
export const fill = (path: string, communityId: string) =>
  path.replace("{communityId}", communityId).replace(/\{(\w+)\}/g, (_, name: string) => PARAMS[name] ?? "x");

/** Calls a route as `authorization` with an empty JSON body for writes; answers "<status> <METHOD> <path>". */
export async function tryRoute(route: DocRoute, url: string, authorization: string) {
  const res = await call(url, {
    method: route.method,
    headers: { authorization, "content-type": "application/json" },
    body: route.method === "GET" || route.method === "DELETE" ? undefined : "{}",
  });
  const body = await res.text();
  return { status: res.status, body, line: `${res.status} ${route.method} ${route.path}` };
}
