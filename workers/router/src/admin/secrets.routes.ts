import { z } from "@hono/zod-openapi";
import { recordAudit } from "../../../../lib/audit.ts";
import { d1Runner, rotateSecrets } from "../../../../lib/crypto/rotate.ts";
import { SecretBoxError } from "../../../../lib/crypto/secret-box.ts";
import { BadRequest } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { accountRoute, type RouteEnv } from "../api.ts";
import { invalidateAllRouterConfig } from "../router-config.ts";

const Counts = z.object({
  table: z.string(),
  column: z.string(),
  scanned: z.number(),
  resealed: z.number(),
  sealedFromClear: z.number(),
});
const Report = z
  .object({ keyId: z.string(), columns: z.array(Counts), resealed: z.number(), sealedFromClear: z.number() })
  .openapi("SecretRotationReport");
const Body = z.strictObject({ batchSize: z.int().min(1).max(500).optional() }).openapi("SecretRotationRequest");

/** Instance administration: only the instance owner (first run) holds `secrets:rotate`. */
export const adminSecretsRoutes = createApiApp<RouteEnv>();

adminSecretsRoutes.openapi(
  accountRoute({
    method: "post",
    path: "/secrets/rotate",
    tags: ["admin"],
    summary: "Re-encrypt every sealed secret under the current TOKEN_ENCRYPTION_KEY (idempotent; counts)",
    permission: "secrets:rotate",
    request: { body: { ...jsonContent(Body), required: false } },
    responses: {
      200: { description: "Rotated", ...jsonContent(envelopeOf(Report)) },
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) => {
    const principal = c.get("principal");
    const text = await c.req.text();
    let input: unknown = {};
    try {
      if (text) input = JSON.parse(text);
    } catch {
      throw new BadRequest("The body must be JSON");
    }
    const parsed = Body.safeParse(input);
    if (!parsed.success) throw new BadRequest("Invalid input", parsed.error.issues);
    let report: z.infer<typeof Report>;
    try {
      report = await rotateSecrets(c.env, d1Runner(c.env.DB), { batch: parsed.data.batchSize });
    } catch (err) {
      // A value sealed with a key that is no longer configured: say which setting fixes it.
      if (err instanceof SecretBoxError) throw new BadRequest(err.message);
      throw err;
    }
    // Cached router configs hold opened secrets; none changed, but the rows did.
    invalidateAllRouterConfig();
    await recordAudit(c.env.DB, {
      requestId: (c.get("requestId" as never) as string | undefined) ?? null,
      actorType: principal.via === "api_key" ? "api_key" : "user",
      actorId: principal.userId,
      communityId: null,
      action: "secrets.rotate",
      targetType: "key",
      targetId: report.keyId,
      outcome: "success",
      details: { resealed: report.resealed, sealedFromClear: report.sealedFromClear },
    });
    return ok(c, report, `${report.resealed} re-sealed, ${report.sealedFromClear} sealed from clear`);
  },
);
