import { z } from "@hono/zod-openapi";
import type { AuthVariables } from "../../../lib/auth/hono.ts";
import { routeKit } from "../../../lib/auth/routes.ts";
import type { Env } from "./env.ts";

/** Shared bits of the router's admin API route files. */
export type RouteEnv = { Bindings: Env; Variables: AuthVariables };
const identity = (c: { env: Env }) => c.env.IDENTITY;

/**
 * The router's route declarations: `communityRoute` for `/{communityId}/…`, `accountRoute`
 * for the rest. Auth, request limits, "community exists" and permission + scope come from
 * them, so no route file applies auth by hand (the identity worker answers over RPC).
 */
export const { communityRoute, accountRoute } = routeKit(identity as never);

export const CommunityParams = z.object({ communityId: z.uuid() });
