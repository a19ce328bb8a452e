import { z } from "@hono/zod-openapi";
import { ACCOUNT_PERMISSIONS, type AnyPermission, PERMISSIONS, scopeAllows } from "../../../../lib/auth/permissions.ts";

const ALL = { ...PERMISSIONS, ...ACCOUNT_PERMISSIONS };
const AREAS = new Set(Object.keys(ALL).map((p) => p.split(":")[0]!));

/** A scope is a permission (`commands:read`), a whole area (`commands:*`) or everything (`*`). */
function isValidScope(scope: string): boolean {
  if (scope === "*") return true;
  if (scope.endsWith(":*")) return AREAS.has(scope.slice(0, -2));
  return scope in ALL;
}

export const ScopeList = z
  .array(z.string().refine(isValidScope, { message: "Unknown scope (a permission, `<area>:*` or `*`)" }))
  .min(1)
  .max(50)
  .nullable()
  .openapi({ description: "null = all of the owner's permissions", example: ["commands:read", "overlays:*"] });

/**
 * May a caller whose own scopes are `held` make a key with `requested` scopes? A key can only
 * make keys as narrow as itself, so a leaked read-only key never mints a full one.
 */
export function scopesWithin(held: string[] | null | undefined, requested: string[] | null): boolean {
  if (!held) return true;
  if (!requested) return false;
  return requested.every((scope) => {
    if (scope === "*") return held.includes("*");
    if (scope.endsWith(":*")) return held.includes("*") || held.includes(scope);
    return scopeAllows(held, scope as AnyPermission);
  });
}
