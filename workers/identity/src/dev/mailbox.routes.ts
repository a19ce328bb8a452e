import { createRoute, z } from "@hono/zod-openapi";
import { desc, eq } from "drizzle-orm";
import { isLocal } from "../../../../lib/config.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { devMailbox } from "../../../../lib/db/schema/index.ts";
import { NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import type { AppEnv } from "../env.ts";
import { Email } from "../schemas.ts";

/**
 * The local dev mailbox: what the identity worker "sent" under `npm start`, so a developer can
 * finish a password reset or accept an invite without a mail server. It exists only where
 * `WADDLEBOT_ENV=local`; a deployed worker answers 404, as if the route were not there.
 */
export const devMailboxRoutes = createApiApp<AppEnv>();

const Message = z
  .object({ id: z.string(), to: z.string(), subject: z.string(), text: z.string(), createdAt: z.string() })
  .openapi("DevMailboxMessage");

devMailboxRoutes.openapi(
  createRoute({
    method: "get",
    path: "/",
    tags: ["dev"],
    summary: "Local only: the newest mail sent to an address (404 on a deployed worker)",
    request: { query: z.object({ to: Email }) },
    responses: {
      200: { description: "Newest first", content: { "application/json": { schema: envelopeOf(z.array(Message)) } } },
      ...errorResponses(400, 404),
    },
  }),
  async (c) => {
    if (!isLocal(c.env)) throw new NotFound();
    const rows = await createDb(c.env.DB)
      .select()
      .from(devMailbox)
      .where(eq(devMailbox.to, c.req.valid("query").to))
      .orderBy(desc(devMailbox.createdAt))
      .limit(20);
    return ok(
      c,
      rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    );
  },
);
