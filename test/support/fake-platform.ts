/**
 * A local stand-in for the Discord, Twitch and Slack APIs, for tests. The workers' API bases
 * (DISCORD_API_BASE, TWITCH_API_BASE, TWITCH_AUTH_BASE, SLACK_API_BASE) point at it; it
 * records every request and answers like the platform would.
 *
 * It is controlled over HTTP, so tests in any process (Node or workerd) can use it:
 *   GET  /_fake/requests?path=<substring>   recorded requests (with the status answered), oldest first
 *   POST /_fake/reset                       forget recorded requests and scripted answers
 *   POST /_fake/script  {method?, path, bodyContains?, status, body?, headers?, times?, delayMs?}
 *                                           answer the next matching request(s) this way
 *   GET  /_fake/smtp                        {port} of the fake SMTP server (fake-smtp.ts)
 *   GET  /_fake/mail?to=<address>           mail it received, oldest first
 *   GET  /_fake/tokens                      every token its OAuth flows issued, with whose it is
 *   POST /_fake/expire?user=<id>            expire that user's access tokens now (refresh on 401)
 *   POST /_fake/next-token {access}         the next OAuth access token issued is this one
 *   POST /_fake/slack-member {team, id, ...users.info fields}   how users.info describes a member
 *   POST /_fake/channel {platform, id, owner}  a channel's guild (Discord GET /channels/{id}) or
 *                                           team (Slack conversations.info): whose channel it is
 * OAuth (authorize pages, token exchange, refresh, revoke) and the token checks: fake-oauth.ts.
 * Spotify (accounts + Web API, PKCE and scope checks, its own controls): fake-spotify.ts.
 *   POST /_fake/gateway {url, shards}       what GET /discord/gateway/bot answers (fake-discord-gateway.ts)
 *
 * Routes (prefix = the base the workers use):
 *   /discord/...   /helix/...   /oauth2/token   /oauth2/validate   /slack/<method>   /slack-response/<id>
 *   /v1/...        Stripe (STRIPE_API_BASE is the fake's origin; see fake-stripe.ts)
 *
 * Users: `GET /helix/users?login=<name>` answers a user whose id is fakeTwitchId(name). For the
 * OAuth code flows, an authorization code of the form `<id>.<username>` (e.g. "42.alice") is
 * exchanged for the token `fake-user:<id>.<username>`, and the platforms' "who am I" endpoints
 * (Discord /users/@me, Helix /users, Slack openid.connect.userInfo) answer that user.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { fakeBases, fakeTwitchId, type RecordedRequest, type Scripted } from "../shared/fake-control.ts";
import { FakeOAuth } from "./fake-oauth.ts";
import { checkToken } from "./fake-oauth-checks.ts";
import { roleAnswer, roleControl } from "./fake-roles.ts";
import { startFakeSmtp } from "./fake-smtp.ts";
import { FakeSpotify } from "./fake-spotify.ts";
import { stripeAnswer } from "./fake-stripe.ts";

export interface FakePlatform {
  url: string;
  /** The API base settings that point the workers at this fake. */
  bases: Record<string, string>;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function parseBody(raw: string, type: string | undefined): unknown {
  if (!raw) return undefined;
  if (type?.includes("json")) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  if (type?.includes("x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(raw));
  return raw;
}

/** The user behind a fake OAuth user token (`Bearer fake-user:<id>.<username>`), if any. */
function oauthUser(authorization: string | undefined): { id: string; username: string } | null {
  const m = authorization?.match(/^(?:Bearer|OAuth)\s+fake-user:([^.]+)\.(.+)$/i);
  return m ? { id: m[1]!, username: m[2]! } : null;
}

let nextId = 1;
const id = () => String(900_000_000_000_000_000n + BigInt(nextId++));

/** The platform's usual answer to a request, by route. */
function defaultAnswer(
  method: string,
  path: string,
  body: unknown,
  search: URLSearchParams = new URLSearchParams(),
  headers: Record<string, string> = {},
): { status: number; body?: unknown; headers?: Record<string, string> } {
  const b = (body ?? {}) as Record<string, unknown>;
  if (path.startsWith("/v1/")) return stripeAnswer(method, path, b, headers);
  const user = oauthUser(headers.authorization);
  const userToken = { access_token: `fake-user:${b.code}`, token_type: "Bearer", expires_in: 3600, scope: "identify" };
  if (path === "/discord/oauth2/token") return { status: 200, body: userToken };
  if (path === "/discord/users/@me" && method === "GET") {
    return user
      ? { status: 200, body: { id: user.id, username: user.username, global_name: user.username } }
      : { status: 401, body: { message: "401: Unauthorized", code: 0 } };
  }
  if (path === "/helix/users" && method === "GET") {
    const logins = search.getAll("login");
    if (logins.length) {
      return { status: 200, body: { data: logins.map((l) => ({ id: fakeTwitchId(l), login: l, display_name: l })) } };
    }
    if (user)
      return { status: 200, body: { data: [{ id: user.id, login: user.username, display_name: user.username }] } };
    return { status: 200, body: { data: [] } };
  }
  if (path === "/slack/openid.connect.token") return { status: 200, body: { ok: true, ...userToken } };
  if (path === "/slack/openid.connect.userInfo") {
    return user
      ? { status: 200, body: { ok: true, sub: user.id, "https://slack.com/user_id": user.id, name: user.username } }
      : { status: 200, body: { ok: false, error: "invalid_auth" } };
  }
  if (path.startsWith("/discord/")) {
    if (path.endsWith("/users/@me/channels")) return { status: 200, body: { id: `dm-${b.recipient_id}`, type: 1 } };
    if (method === "PUT" && path.includes("/commands")) return { status: 200, body: Array.isArray(body) ? body : [] };
    // Moderation: delete a message, time a member out, ban.
    if (method === "DELETE" && /^\/discord\/channels\/[^/]+\/messages\/[^/]+$/.test(path)) return { status: 204 };
    if (method === "PATCH" && /^\/discord\/guilds\/[^/]+\/members\/[^/]+$/.test(path)) {
      return { status: 200, body: { user: { id: path.split("/").at(-1) }, ...b } };
    }
    if (method === "PUT" && /^\/discord\/guilds\/[^/]+\/bans\/[^/]+$/.test(path)) return { status: 204 };
    return { status: 200, body: { id: id(), content: b.content ?? "" } };
  }
  if (path === "/oauth2/token") {
    if (b.grant_type === "authorization_code") return { status: 200, body: userToken };
    return {
      status: 200,
      body: { access_token: `fake-app-token-${id()}`, expires_in: 5_000_000, token_type: "bearer" },
    };
  }
  if (path.startsWith("/helix/")) {
    if (path.startsWith("/helix/chat/messages"))
      return { status: 200, body: { data: [{ message_id: id(), is_sent: true }] } };
    if (path.startsWith("/helix/whispers")) return { status: 204 };
    if (path === "/helix/chat/shoutouts" && method === "POST") return { status: 204 };
    if (path === "/helix/moderation/chat" && method === "DELETE") return { status: 204 };
    if (path === "/helix/moderation/bans" && method === "POST") {
      const ban = (b.data ?? {}) as { user_id?: string; duration?: number };
      const now = Date.now();
      return {
        status: 200,
        body: {
          data: [
            {
              broadcaster_id: search.get("broadcaster_id"),
              moderator_id: search.get("moderator_id"),
              user_id: ban.user_id,
              created_at: new Date(now).toISOString(),
              end_time: ban.duration ? new Date(now + ban.duration * 1000).toISOString() : null,
            },
          ],
        },
      };
    }
    if (path.startsWith("/helix/eventsub/subscriptions") && method === "POST") {
      return {
        status: 202,
        body: { data: [{ id: crypto.randomUUID(), status: "webhook_callback_verification_pending", ...b }] },
      };
    }
    return { status: 200, body: { data: [] } };
  }
  if (path.startsWith("/slack-response/")) return { status: 200, body: "ok" };
  if (path.startsWith("/slack/")) {
    const method = path.slice("/slack/".length);
    if (method === "conversations.open") return { status: 200, body: { ok: true, channel: { id: `D${b.users}` } } };
    if (method === "chat.delete") return { status: 200, body: { ok: true, channel: b.channel, ts: b.ts } };
    if (method === "chat.postMessage")
      return { status: 200, body: { ok: true, channel: b.channel, ts: `${Date.now() / 1000}` } };
    return { status: 200, body: { ok: true } };
  }
  return { status: 404, body: { message: "the fake platform has no such route" } };
}

export async function startFakePlatform(port = 0): Promise<FakePlatform> {
  const requests: RecordedRequest[] = [];
  let scripts: Scripted[] = [];
  let gateway = { url: "wss://gateway.discord.gg", shards: 1 };
  // "<platform>:<channel id>" → the guild or team it belongs to (the delivery service asks).
  const channelOwners = new Map<string, string>();
  const channelAnswer = (
    method: string,
    path: string,
    body: unknown,
  ): { status: number; body: unknown; headers?: Record<string, string> } | null => {
    const discord = method === "GET" && path.match(/^\/discord\/channels\/([^/]+)$/);
    if (discord) {
      const guild = channelOwners.get(`discord:${discord[1]}`);
      return guild ? { status: 200, body: { id: discord[1], type: 0, guild_id: guild } } : null;
    }
    if (path !== "/slack/conversations.info") return null;
    const channel = String((body as { channel?: unknown } | undefined)?.channel ?? "");
    const team = channelOwners.get(`slack:${channel}`);
    return team ? { status: 200, body: { ok: true, channel: { id: channel, context_team_id: team } } } : null;
  };

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    const text = body === undefined ? "" : typeof body === "string" ? body : JSON.stringify(body);
    res.writeHead(status, {
      ...(typeof body === "string" ? { "content-type": "text/plain" } : { "content-type": "application/json" }),
      ...headers,
    });
    res.end(text);
  };

  // A body far larger than any sane answer, written as it goes (as a hostile module would).
  const stream = (res: ServerResponse, status: number, bytes: number) => {
    res.writeHead(status, { "content-type": "application/json" });
    const chunk = Buffer.alloc(16 * 1024, "x");
    let left = bytes;
    const more = () => {
      while (left > 0 && !res.destroyed) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!res.write(chunk.subarray(0, n))) return void res.once("drain", more);
      }
      res.end();
    };
    res.on("error", () => {});
    more();
  };

  const smtp = await startFakeSmtp();
  const oauth = new FakeOAuth();
  const spotify = new FakeSpotify();
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake");
    const method = req.method ?? "GET";

    if (url.pathname === "/_fake/requests") {
      const filter = url.searchParams.get("path");
      return send(res, 200, filter ? requests.filter((r) => r.path.includes(filter)) : requests);
    }
    if (url.pathname === "/_fake/gateway" && method === "POST") {
      gateway = { ...gateway, ...(JSON.parse(raw) as Partial<typeof gateway>) };
      return send(res, 200, { ok: true });
    }
    // @discordjs/rest puts the API version in the path (/v10/...); the workers' base already has it.
    url.pathname = url.pathname.replace(/^\/discord\/v\d+\//, "/discord/");
    if (url.pathname === "/discord/gateway/bot" && method === "GET") {
      const session_start_limit = { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 };
      requests.push({ at: Date.now(), method, path: url.pathname, headers: {}, body: undefined, raw: "" });
      return send(res, 200, { url: gateway.url, shards: gateway.shards, session_start_limit });
    }
    if (url.pathname === "/_fake/smtp") return send(res, 200, { port: smtp.port });
    if (url.pathname === "/_fake/mail") {
      const to = url.searchParams.get("to");
      return send(res, 200, to ? smtp.mail.filter((m) => m.to.includes(to)) : smtp.mail);
    }
    if (url.pathname === "/_fake/tokens") {
      return send(
        res,
        200,
        [...oauth.tokens].map(([token, info]) => ({ token, ...info, expiresAt: String(info.expiresAt) })),
      );
    }
    if (url.pathname === "/_fake/expire" && method === "POST") {
      oauth.expireUser(url.searchParams.get("user") ?? "");
      return send(res, 200, { ok: true });
    }
    if (url.pathname === "/_fake/next-token" && method === "POST") {
      oauth.nextAccess.push(String((JSON.parse(raw) as { access: string }).access));
      return send(res, 200, { ok: true });
    }
    if (url.pathname === "/_fake/slack-member" && method === "POST") {
      const m = JSON.parse(raw) as { team: string; id: string };
      oauth.slackMembers.set(`${m.team}:${m.id}`, m);
      return send(res, 200, { ok: true });
    }
    if (url.pathname === "/_fake/channel" && method === "POST") {
      const c = JSON.parse(raw) as { platform: string; id: string; owner: string };
      channelOwners.set(`${c.platform}:${c.id}`, c.owner);
      return send(res, 200, { ok: true });
    }
    if (url.pathname === "/_fake/reset" && method === "POST") {
      requests.length = 0;
      scripts = [];
      return send(res, 200, { ok: true });
    }
    if (url.pathname === "/_fake/script" && method === "POST") {
      scripts.push({ times: 1, ...(JSON.parse(raw) as Scripted) });
      return send(res, 200, { ok: true });
    }

    const path = url.pathname + url.search;
    const body = parseBody(raw, req.headers["content-type"]);
    const control = roleControl(method, url, body);
    if (control) return send(res, control.status, control.body);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const token = oauth.tokens.get(oauth.bearer(headers) ?? "");
    const record: RecordedRequest = {
      at: Date.now(),
      method,
      path,
      headers,
      body,
      raw,
      ...(token
        ? { token: { platform: token.platform, kind: token.kind, userId: token.userId, team: token.team?.id } }
        : {}),
    };
    requests.push(record);

    const scripted = scripts.find(
      (s) =>
        (!s.method || s.method === method) &&
        path.includes(s.path) &&
        (s.bodyContains === undefined || raw.includes(s.bodyContains)) &&
        (s.times ?? 1) > 0,
    );
    if (scripted) {
      scripted.times = (scripted.times ?? 1) - 1;
      record.status = scripted.status;
      if (scripted.delayMs) await new Promise((r) => setTimeout(r, scripted.delayMs));
      if (scripted.streamBytes) return stream(res, scripted.status, scripted.streamBytes);
      return send(res, scripted.status, scripted.body, scripted.headers);
    }
    const fields = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
    const validate = method === "GET" && (url.pathname === "/oauth2/validate" || url.pathname === "/auth/validate");
    const answer =
      (validate ? oauth.validate(headers) : null) ??
      channelAnswer(method, url.pathname, body) ??
      spotify.handle(method, url.pathname, url.searchParams, fields, headers) ??
      oauth.handle(method, url.pathname, url.searchParams, fields) ??
      checkToken(oauth, method, url.pathname, url.searchParams, fields, headers) ??
      oauth.identity(method, url.pathname, url.searchParams, fields, headers) ??
      roleAnswer(method, url.pathname, body, url.searchParams, headers) ??
      defaultAnswer(method, url.pathname, body, url.searchParams, headers);
    record.status = answer.status;
    return send(res, answer.status, answer.body, answer.headers);
  });

  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    bases: fakeBases(url),
    requests,
    close: async () => {
      await smtp.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
