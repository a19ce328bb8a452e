import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { type AuthVariables, requireAuth } from "../../../lib/auth/hono.ts";
import type { Database } from "../../../lib/db/client.ts";
import { communities } from "../../../lib/db/schema/index.ts";
import { NotFound } from "../../../lib/http/errors.ts";
import type { Env } from "./env.ts";

/** Shared bits of the router's admin API route files. */
export type RouteEnv = { Bindings: Env; Variables: AuthVariables };
export const identity = (c: { env: Env }) => c.env.IDENTITY;

/**
 * requireAuth, once per request: these apps are mounted under /api/v1/communities next to
 * the communities app, whose own `*` middleware may already have authenticated the caller.
 */
export const authOnce: MiddlewareHandler<RouteEnv> = async (c, next) => {
  if (c.get("principal")) return next();
  return requireAuth(identity)(c as never, next);
};

export const CommunityParams = z.object({ communityId: z.uuid() });

/** 404 unless the community exists (a global admin passes authorisation for any id). */
export async function ensureCommunity(db: Database, communityId: string): Promise<void> {
  const row = await db.select({ id: communities.id }).from(communities).where(eq(communities.id, communityId)).get();
  if (!row) throw new NotFound("No such community");
}
