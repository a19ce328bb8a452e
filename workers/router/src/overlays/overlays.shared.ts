import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { AuthVariables } from "../../../../lib/auth/hono.ts";
import type { Database } from "../../../../lib/db/client.ts";
import { communities, OVERLAY_TYPES } from "../../../../lib/db/schema/index.ts";
import { NotFound } from "../../../../lib/http/errors.ts";
import type { Env } from "../env.ts";

/** What the overlay admin routes share: bindings, params, the community row. */
export type RouteEnv = { Bindings: Env; Variables: AuthVariables };

export const Params = z.object({ communityId: z.uuid() });
export const TypeParams = Params.extend({ type: z.enum(OVERLAY_TYPES) });

/** The community row (the route guard has already answered 404 for an unknown id; this is the row itself). */
export async function communityRow(db: Database, communityId: string) {
  const row = await db.select().from(communities).where(eq(communities.id, communityId)).get();
  if (!row) throw new NotFound("No such community");
  return row;
}
