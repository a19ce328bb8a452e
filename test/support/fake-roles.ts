/**
 * Platform roles in the fake platform (fake-platform.ts): Discord guild member roles, Slack
 * user groups, Twitch VIPs and moderators, with the checks the platforms make — an unknown
 * guild or role (or user group) is 404 / `no_such_subteam`, a missing token is 401.
 *
 * Control (not cleared by /_fake/reset, so parallel test files keep their own ids):
 *   POST /_fake/roles/define {platform, spaceId, roleId}   a guild's role or a workspace's user group
 *   GET  /_fake/roles?platform=&spaceId=&roleId=          {members: [...]} who holds it now
 * Twitch needs no definition: every broadcaster has `vip` and `moderator`.
 */
type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

const defined = new Set<string>();
const holders = new Map<string, Set<string>>();
const key = (platform: string, spaceId: string, roleId: string) => `${platform}|${spaceId}|${roleId}`;
const members = (k: string) => {
  const set = holders.get(k) ?? new Set<string>();
  holders.set(k, set);
  return set;
};

/** The control endpoints; null when the path is not one of them. */
export function roleControl(method: string, url: URL, body: unknown): Answer | null {
  if (url.pathname === "/_fake/roles/define" && method === "POST") {
    const b = body as { platform: string; spaceId: string; roleId: string };
    defined.add(key(b.platform, b.spaceId, b.roleId));
    return { status: 200, body: { ok: true } };
  }
  if (url.pathname === "/_fake/roles" && method === "GET") {
    const q = url.searchParams;
    const k = key(q.get("platform") ?? "", q.get("spaceId") ?? "", q.get("roleId") ?? "");
    return { status: 200, body: { members: [...(holders.get(k) ?? [])].sort() } };
  }
  return null;
}

const unauthorized = { status: 401, body: { message: "401: Unauthorized", code: 0 } };

function discord(method: string, path: string, headers: Record<string, string>): Answer | null {
  const m = path.match(/^\/discord\/guilds\/([^/]+)\/members\/([^/]+)\/roles\/([^/]+)$/);
  if (!m || (method !== "PUT" && method !== "DELETE")) return null;
  if (!/^Bot \S+/.test(headers.authorization ?? "")) return unauthorized;
  const [, guild, user, role] = m as unknown as [string, string, string, string];
  if (![...defined].some((k) => k.startsWith(`discord|${guild}|`))) {
    return { status: 404, body: { message: "Unknown Guild", code: 10004 } };
  }
  const k = key("discord", guild, role);
  if (!defined.has(k)) return { status: 404, body: { message: "Unknown Role", code: 10011 } };
  if (method === "PUT") members(k).add(user);
  else members(k).delete(user);
  return { status: 204 };
}

function slack(path: string, body: unknown, headers: Record<string, string>): Answer | null {
  const method = path.slice("/slack/".length);
  if (!["usergroups.users.list", "usergroups.users.update", "usergroups.disable"].includes(method)) return null;
  if (!/^Bearer \S+/.test(headers.authorization ?? ""))
    return { status: 200, body: { ok: false, error: "not_authed" } };
  const b = (body ?? {}) as { usergroup?: string; users?: string };
  const k = [...defined].find((d) => d.startsWith("slack|") && d.endsWith(`|${b.usergroup}`));
  if (!k) return { status: 200, body: { ok: false, error: "no_such_subteam" } };
  if (method === "usergroups.users.update") {
    holders.set(k, new Set((b.users ?? "").split(",").filter(Boolean)));
  }
  if (method === "usergroups.disable") holders.set(k, new Set());
  return { status: 200, body: { ok: true, users: [...members(k)] } };
}

function twitch(method: string, path: string, search: URLSearchParams, headers: Record<string, string>): Answer | null {
  const role = path === "/helix/channels/vips" ? "vip" : path === "/helix/moderation/moderators" ? "moderator" : null;
  if (!role || (method !== "POST" && method !== "DELETE")) return null;
  if (!/^Bearer \S+/.test(headers.authorization ?? "") || !headers["client-id"]) {
    return { status: 401, body: { error: "Unauthorized", status: 401, message: "OAuth token is missing" } };
  }
  const broadcaster = search.get("broadcaster_id");
  const user = search.get("user_id");
  if (!broadcaster || !user) return { status: 400, body: { error: "Bad Request", status: 400 } };
  const set = members(key("twitch", broadcaster, role));
  // Helix answers 422 when the user already holds the role (add) or does not (remove).
  if ((method === "POST") === set.has(user))
    return { status: 422, body: { error: "Unprocessable Entity", status: 422 } };
  if (method === "POST") set.add(user);
  else set.delete(user);
  return { status: 204 };
}

/** The platform's answer to a role request; null when the request is not about roles. */
export function roleAnswer(
  method: string,
  path: string,
  body: unknown,
  search: URLSearchParams,
  headers: Record<string, string>,
): Answer | null {
  if (path.startsWith("/discord/")) return discord(method, path, headers);
  if (path.startsWith("/slack/")) return slack(path, body, headers);
  if (path.startsWith("/helix/")) return twitch(method, path, search, headers);
  return null;
}
