import type { CommunityRole, GlobalRole, ServiceRole } from "../db/schema/index.ts";

/** Community roles in rank order: each may do everything the ones before it may. */
export const ROLE_RANK: Record<CommunityRole, number> = { member: 1, moderator: 2, admin: 3, owner: 4 };

/**
 * Every permission the admin API checks, and the lowest community role that holds it.
 * One table, used by `authorize` for every worker, so the portal and the API never disagree.
 */
export const PERMISSIONS = {
  "community:read": "moderator",
  "community:write": "owner",
  "members:read": "moderator",
  "members:write": "admin",
  "commands:read": "moderator",
  "commands:write": "admin",
  "moderation:read": "moderator",
  "moderation:write": "admin",
  "cooldowns:read": "moderator",
  "cooldowns:write": "admin",
  "executions:read": "moderator",
  "simulate:run": "moderator",
  "overlays:read": "moderator",
  "overlays:write": "admin",
  "modules:read": "moderator",
  "modules:write": "admin",
  /** Per-command level and cooldown of installed modules (a moderator may not raise a level above their own). */
  "modules:tune": "moderator",
  /** The calendar module's events: approve, reject, remove (moderators do it in chat too). */
  "calendar:moderate": "moderator",
  /** The Music page's skip and clear (the spotify module's !skip, !srclear). */
  "music:control": "moderator",
  "platforms:read": "moderator",
  "platforms:write": "owner",
  "audit:read": "admin",
  "labels:read": "moderator",
  "labels:write": "admin",
  "workflows:read": "moderator",
  "workflows:write": "admin",
  "workflows:publish": "admin",
  "workflows:execute": "admin",
} as const satisfies Record<string, CommunityRole>;

export type Permission = keyof typeof PERMISSIONS;

/** Who is calling, as established by the identity worker. Plain data: it crosses RPC. */
export interface Principal {
  userId: string;
  displayName: string;
  email: string | null;
  globalRole: GlobalRole;
  via: "session" | "api_key";
  apiKeyId?: string;
  /** API key scopes; null or absent = the owner's full permissions. */
  scopes?: string[] | null;
  sessionId?: string;
  /** Set for machine callers (API keys of a service account): they act by this role, not by membership. */
  serviceRole?: ServiceRole | null;
  /** The instance owner (first run, users.instance_owner): instance-wide settings and secrets. */
  instanceOwner?: boolean;
}

/**
 * What the hub's service roles may do, in every community: `core` (WaddleBot's own services)
 * everything; `action` (modules that act on events) read only; `trigger` (collectors that feed
 * events in) nothing on the admin API — the event endpoints check the role itself.
 */
const SERVICE_ROLE_ALLOWS: Record<ServiceRole, (permission: Permission) => boolean> = {
  core: () => true,
  action: (permission) => permission.endsWith(":read"),
  trigger: () => false,
};

/**
 * Permissions of routes outside any community (`/api/v1/keys`, `/me/*`, `/audit`, …) and who
 * holds them besides the scope check: `self` = any signed-in caller acting on their own
 * account; `admin` = a global admin (not a service account); `service` = see `ingestAllows`;
 * `owner` = the instance owner alone (not a service account).
 */
export const ACCOUNT_PERMISSIONS = {
  "communities:list": "self",
  // Who may create one is COMMUNITY_CREATION (workers/router/src/communities/create.ts).
  "communities:create": "self",
  "keys:read": "self",
  "keys:write": "self",
  "identities:read": "self",
  "identities:write": "self",
  "audit:read": "self",
  "system:read": "self",
  "service-accounts:read": "admin",
  "service-accounts:write": "admin",
  // The instance's Twitch bot account (authorised once by the instance owner).
  "bot:read": "admin",
  "bot:write": "admin",
  "events:ingest": "service",
  "secrets:rotate": "owner",
  "marketplace:read": "self",
  /** Publishing needs an account with an email (or a service account): checked by the route. */
  "marketplace:publish": "self",
  "marketplace:review": "self",
  "workflow-templates:read": "self",
} as const satisfies Record<string, "self" | "admin" | "service" | "owner">;

export type AccountPermission = keyof typeof ACCOUNT_PERMISSIONS;
export type AnyPermission = Permission | AccountPermission;

/**
 * Scopes that `*`, `<area>:*` and an unscoped key do not imply: they must be named one by
 * one. Feeding events in (they name any community and any platform user) and minting service
 * accounts are powers a general-purpose admin key should not carry by accident.
 */
export const EXPLICIT_SCOPES: ReadonlySet<string> = new Set([
  "events:ingest",
  "service-accounts:read",
  "service-accounts:write",
  "secrets:rotate",
]);

/** Does a scope list allow a permission? `commands:*` covers every `commands:` permission. */
export function scopeAllows(scopes: string[] | null | undefined, permission: AnyPermission): boolean {
  if (EXPLICIT_SCOPES.has(permission)) return !!scopes?.includes(permission);
  if (!scopes) return true;
  const [area] = permission.split(":");
  return scopes.includes(permission) || scopes.includes(`${area}:*`) || scopes.includes("*");
}

/**
 * `events:ingest` (POST /api/v1/events/batch): a service account of role core or trigger
 * (its keys need no scope: the role is the grant), or a global admin's API key that names
 * the scope explicitly. Never a session, never a `*` or unscoped key.
 */
function ingestAllows(principal: Principal): boolean {
  if (principal.serviceRole) {
    const roleMay = principal.serviceRole === "core" || principal.serviceRole === "trigger";
    return roleMay && (!principal.scopes || principal.scopes.includes("events:ingest"));
  }
  return (
    principal.via === "api_key" && principal.globalRole === "admin" && scopeAllows(principal.scopes, "events:ingest")
  );
}

/** The decision for a route outside communities: scope, then who holds the permission. */
export function accountAllows(principal: Principal, permission: AccountPermission): boolean {
  const holder = ACCOUNT_PERMISSIONS[permission];
  if (holder === "service") return ingestAllows(principal);
  // Unscoped keys and sessions of an admin carry the admin-only permissions; the explicit-scope
  // rule applies only to keys that list scopes.
  const scoped = principal.scopes ? scopeAllows(principal.scopes, permission) : true;
  if (!scoped) return false;
  if (holder === "admin") return principal.globalRole === "admin" && !principal.serviceRole;
  if (holder === "owner") return principal.instanceOwner === true && !principal.serviceRole;
  return true;
}

/** The decision for a principal holding `role` in the community (null = not a member). */
export function roleAllows(principal: Principal, role: CommunityRole | null, permission: Permission): boolean {
  if (!scopeAllows(principal.scopes, permission)) return false;
  if (principal.serviceRole) return SERVICE_ROLE_ALLOWS[principal.serviceRole](permission);
  if (principal.globalRole === "admin") return true;
  if (!role) return false;
  return ROLE_RANK[role] >= ROLE_RANK[PERMISSIONS[permission]];
}
