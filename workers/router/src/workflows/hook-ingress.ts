import { eq, sql } from "drizzle-orm";
import ipaddr from "ipaddr.js";
import { verifyHmacSha256Hex } from "../../../../lib/crypto/hmac.ts";
import { sealContext } from "../../../../lib/crypto/sealed-columns.ts";
import { open } from "../../../../lib/crypto/secret-box.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { workflowWebhooks } from "../../../../lib/db/schema/index.ts";
import { readLimitedBody } from "../../../../lib/http/body.ts";
import { Conflict, Forbidden, NotFound, TooManyRequests, Unauthorized } from "../../../../lib/http/errors.ts";
import { createApiApp, ok } from "../../../../lib/http/openapi.ts";
import { released } from "../../../../lib/rpc.ts";
import type { AppEnv } from "../env.ts";
import { WEBHOOK_SECRET_COLUMN } from "./hooks.routes.ts";
import { startPublished } from "./start.ts";

const HOOK_HEADERS = { timestamp: "X-WaddleBot-Timestamp", signature: "X-WaddleBot-Signature" } as const;
/** A signed request older or newer than this is refused (replays). */
const HOOK_TOLERANCE_SECONDS = 300;
const HOOK_MAX_BODY_BYTES = 256 * 1024;

/** Is `ip` in one of the allowed addresses or CIDR ranges? (IPv4-mapped IPv6 counts as IPv4.) */
function ipAllowed(ip: string | undefined, allowed: string[]): boolean {
  if (allowed.length === 0) return true;
  if (!ip || !ipaddr.isValid(ip)) return false;
  const addr = ipaddr.process(ip);
  return allowed.some((entry) => {
    try {
      const [range, bits] = entry.includes("/") ? ipaddr.parseCIDR(entry) : [ipaddr.process(entry), -1];
      const r =
        range.kind() === "ipv6" && (range as ipaddr.IPv6).isIPv4MappedAddress()
          ? (range as ipaddr.IPv6).toIPv4Address()
          : range;
      if (r.kind() !== addr.kind()) return false;
      return bits < 0 ? r.toString() === addr.toString() : addr.match(r, bits);
    } catch {
      return false;
    }
  });
}

/**
 * The public endpoint a workflow webhook is called at: `POST /workflows/webhooks/{token}`. In
 * order: the token (404), the allow-list by CF-Connecting-IP (403), the timestamp within five
 * minutes and the HMAC-SHA256 of `${timestamp}.${body}` with the webhook's secret (401), the
 * webhook's rate limit (429); then the run starts and the answer is 202 with its execution id.
 */
export const hookIngress = createApiApp<AppEnv>();

hookIngress.post("/workflows/webhooks/:token", async (c) => {
  const token = c.req.param("token");
  if (!/^[0-9a-f]{32}$/.test(token)) throw new NotFound("No such webhook");
  const db = createDb(c.env.DB);
  const hook = await db.select().from(workflowWebhooks).where(eq(workflowWebhooks.token, token)).get();
  if (!hook) throw new NotFound("No such webhook");
  if (!ipAllowed(c.req.header("cf-connecting-ip"), hook.allowedIps))
    throw new Forbidden("This address may not call this webhook");
  const body = await readLimitedBody(c.req.raw, HOOK_MAX_BODY_BYTES);
  const timestamp = c.req.header(HOOK_HEADERS.timestamp) ?? "";
  const age = Math.abs(Date.now() / 1000 - Number(timestamp));
  if (!/^\d{1,12}$/.test(timestamp) || !(age <= HOOK_TOLERANCE_SECONDS)) {
    throw new Unauthorized(
      `${HOOK_HEADERS.timestamp} must be the current Unix time (within ${HOOK_TOLERANCE_SECONDS} s)`,
    );
  }
  const signature = (c.req.header(HOOK_HEADERS.signature) ?? "").replace(/^sha256=/, "");
  const secret = await open(c.env, hook.secret, sealContext(WEBHOOK_SECRET_COLUMN, hook.id));
  if (!(await verifyHmacSha256Hex(secret, `${timestamp}.${body}`, signature))) {
    throw new Unauthorized(
      `${HOOK_HEADERS.signature} does not match: sha256=HMAC-SHA256(secret, timestamp + "." + body)`,
    );
  }
  const limiter = c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(`wfhook:${hook.id}`));
  const decision = released(await limiter.hit([{ bucket: "trigger", limit: hook.ratePerMinute, windowMs: 60_000 }]));
  if (!decision.allowed)
    throw new TooManyRequests(decision.retryAfterMs / 1000, "This webhook's rate limit is reached");
  let payload: unknown = body;
  try {
    payload = body ? JSON.parse(body) : null;
  } catch {}
  const started = await startPublished(c.env, hook.communityId, hook.workflowId, {
    kind: "webhook",
    data: { body: payload, contentType: c.req.header("content-type") ?? null, webhookId: hook.id },
  });
  if (!started) throw new Conflict("The workflow is not published");
  await db
    .update(workflowWebhooks)
    .set({ triggerCount: sql`${workflowWebhooks.triggerCount} + 1`, lastTriggeredAt: new Date() })
    .where(eq(workflowWebhooks.id, hook.id));
  return ok(c, started, "Started", 202);
});
