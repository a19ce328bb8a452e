import type { Context } from "hono";
import { recordAudit } from "../../../lib/audit.ts";
import type { RouteEnv } from "./api.ts";

type Plain = Record<string, unknown>;
/** Never in the trail: bookkeeping that changes on every write, and write-only secrets. */
const SKIP = new Set(["id", "communityId", "createdAt", "updatedAt", "useCount", "lastUsedAt"]);
const SECRET = /secret|token|password/i;

const clean = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Plain)
        .filter(([k]) => !SKIP.has(k))
        .map(([k, v]) => [k, SECRET.test(k) ? "[set]" : clean(v)]),
    );
  }
  return value instanceof Date ? value.toISOString() : value;
};

/** The fields that differ, as `{ from, to }` with only those fields (a create has no `from`, a delete no `to`). */
function changeOf(before: Plain | null, after: Plain | null) {
  const a = (before ? clean(before) : null) as Plain | null;
  const b = (after ? clean(after) : null) as Plain | null;
  if (!a || !b) return { ...(a ? { from: a } : {}), ...(b ? { to: b } : {}) };
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]),
  );
  return {
    from: Object.fromEntries(keys.map((k) => [k, a[k] ?? null])),
    to: Object.fromEntries(keys.map((k) => [k, b[k] ?? null])),
  };
}

/**
 * Records a configuration change made through the admin API: who (the person, with their name
 * as it was then), what (action, target and its name) and from → to. Nothing is recorded for
 * an update that changed nothing. Awaited, so the trail is written when the answer goes out.
 */
export async function auditChange(
  c: Context<RouteEnv>,
  communityId: string,
  change: {
    action: string;
    targetType: string;
    targetId: string;
    name: string;
    before: Plain | null;
    after: Plain | null;
  },
) {
  const diff = changeOf(change.before, change.after);
  if (change.before && change.after && Object.keys(diff.to ?? {}).length === 0) return;
  const principal = c.get("principal");
  await recordAudit(c.env.DB, {
    actorType: principal.serviceRole ? "service" : principal.via === "api_key" ? "api_key" : "user",
    actorId: principal.userId,
    communityId,
    action: change.action,
    targetType: change.targetType,
    targetId: change.targetId,
    outcome: "success",
    requestId: (c.get("requestId" as never) as string | undefined) ?? null,
    ip: c.req.header("cf-connecting-ip") ?? null,
    details: { name: change.name, actorName: principal.displayName, ...diff },
  });
}
