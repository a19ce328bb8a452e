/**
 * The fake platform's OAuth side and its token checks (used by fake-platform.ts): authorize pages
 * that redirect back with a code, token exchange, refresh, revoke, and the rules real platforms
 * enforce on the tokens they issued (checked in fake-oauth-checks.ts):
 *  - Helix: a call made as a user (Send Chat Message's sender_id, Ban User / Delete Chat Messages'
 *    moderator_id, Send Whisper's from_user_id) needs that user's *user* token with the scope
 *    (an app token, another user's token or a missing scope → 401/403), EventSub webhooks need the
 *    app token, and an expired or revoked token → 401. These rules apply to every account that
 *    authorised through this fake; ids that never did (the demo seed's) are not checked, as before.
 *  - Slack: a workspace's bot token works only for its own workspace's channels (another
 *    workspace's channel → channel_not_found), and a revoked token → token_revoked.
 *
 * Authorize pages take test-only parameters that stand for what the person does on the page:
 *   fake_user=<id>.<login>   who signs in (Twitch) / installs (Discord, Slack)
 *   fake_scopes=a b c        grant fewer scopes than asked (default: all asked)
 *   fake_deny=1              press "Cancel"
 *   fake_expires_in=<s>      lifetime of the access token (Twitch; default 14400)
 *   fake_team=T123:Name      the Slack workspace;  fake_channels=C1,C2  its channels
 *   fake_guild=<id>:Name     the Discord server
 */
export interface TokenInfo {
  platform: "twitch" | "discord" | "slack";
  kind: "user" | "app" | "bot";
  userId?: string;
  login?: string;
  scopes: string[];
  team?: { id: string; name: string };
  guild?: { id: string; name: string };
  expiresAt: number;
  revoked?: boolean;
}

export type Answer = { status: number; body?: unknown; headers?: Record<string, string> };
type Grant = Omit<TokenInfo, "kind" | "expiresAt" | "revoked"> & { expiresIn: number; redirectUri: string };

let counter = 0;
const mint = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

export class FakeOAuth {
  private codes = new Map<string, Grant>();
  readonly tokens = new Map<string, TokenInfo>();
  private refreshTokens = new Map<string, { grant: Grant; access: string }>();
  /** Scopes each Twitch account granted through this fake: these accounts are checked. */
  readonly twitchGrants = new Map<string, string[]>();
  readonly slackChannels = new Map<string, string>();
  readonly slackMembers = new Map<string, Record<string, unknown>>();

  bearer(headers: Record<string, string>): string | undefined {
    return headers.authorization?.match(/^(?:Bearer|OAuth)\s+(.+)$/i)?.[1];
  }

  /** Expires every access token of a user at once (tests of the refresh-on-401 path). */
  expireUser(userId: string) {
    for (const t of this.tokens.values()) if (t.userId === userId) t.expiresAt = 0;
  }

  authorize(platform: TokenInfo["platform"], q: URLSearchParams): Answer {
    const redirect = q.get("redirect_uri") ?? "";
    const state = q.get("state") ?? "";
    const back = (params: Record<string, string>) => ({
      status: 302,
      headers: { location: `${redirect}?${new URLSearchParams({ ...params, state })}` },
    });
    if (q.get("fake_deny")) return back({ error: "access_denied", error_description: "The user denied you access" });
    const [userId = "1", login = "someone"] = (q.get("fake_user") ?? "1.someone").split(/\.(.*)/s);
    const asked = (q.get("scope") ?? "").split(platform === "slack" ? "," : " ").filter(Boolean);
    const scopes = q.has("fake_scopes") ? (q.get("fake_scopes") ?? "").split(/[ ,]/).filter(Boolean) : asked;
    const [teamId = "T0FAKE", teamName = "Fake workspace"] = (q.get("fake_team") ?? "").split(":").filter(Boolean);
    const [guildId = "100000000000000555", guildName = "Fake server"] = (q.get("fake_guild") ?? "")
      .split(":")
      .filter(Boolean);
    for (const ch of (q.get("fake_channels") ?? "").split(",").filter(Boolean)) this.slackChannels.set(ch, teamId);
    const code = mint(`code-${platform}`);
    this.codes.set(code, {
      platform,
      userId,
      login,
      scopes,
      ...(platform === "slack" ? { team: { id: teamId, name: teamName } } : {}),
      ...(platform === "discord" ? { guild: { id: guildId, name: guildName } } : {}),
      expiresIn: Number(q.get("fake_expires_in") ?? 14_400),
      redirectUri: redirect,
    });
    return back({
      code,
      ...(platform === "discord" ? { guild_id: guildId, permissions: q.get("permissions") ?? "0" } : {}),
    });
  }

  /** Access tokens to issue next, in order (a test that must know a token before it exists). */
  readonly nextAccess: string[] = [];

  private issue(grant: Grant, kind: TokenInfo["kind"]) {
    const access = this.nextAccess.shift() ?? mint(`fake-${grant.platform}-${kind}`);
    const { expiresIn, redirectUri: _r, ...info } = grant;
    this.tokens.set(access, { ...info, kind, expiresAt: Date.now() + expiresIn * 1000 });
    const refresh = mint(`fake-${grant.platform}-refresh`);
    this.refreshTokens.set(refresh, { grant, access });
    if (grant.platform === "twitch" && grant.userId) this.twitchGrants.set(grant.userId, grant.scopes);
    return { access, refresh };
  }

  /** Token endpoints, authorize pages and revocation. null: not an OAuth route (or a legacy login code). */
  handle(method: string, path: string, search: URLSearchParams, body: Record<string, unknown>): Answer | null {
    if (method === "GET" && path === "/oauth2/authorize") return this.authorize("twitch", search);
    if (method === "GET" && path === "/discord/oauth2/authorize") return this.authorize("discord", search);
    if (method === "GET" && path === "/slack/oauth/v2/authorize") return this.authorize("slack", search);
    const code = typeof body.code === "string" ? body.code : "";
    const grant = this.codes.get(code);
    if (grant && grant.redirectUri !== body.redirect_uri)
      return { status: 400, body: { status: 400, message: "Parameter redirect_uri does not match registered URI" } };
    if (path === "/oauth2/token" && body.grant_type === "authorization_code" && code.startsWith("code-")) {
      if (grant?.platform !== "twitch")
        return { status: 400, body: { status: 400, message: "Invalid authorization code" } };
      this.codes.delete(code);
      const t = this.issue(grant, "user");
      return {
        status: 200,
        body: {
          access_token: t.access,
          refresh_token: t.refresh,
          expires_in: grant.expiresIn,
          scope: grant.scopes,
          token_type: "bearer",
        },
      };
    }
    if (path === "/oauth2/token" && body.grant_type === "refresh_token") {
      const old = this.refreshTokens.get(String(body.refresh_token));
      if (!old) return { status: 400, body: { status: 400, message: "Invalid refresh token" } };
      this.refreshTokens.delete(String(body.refresh_token));
      this.tokens.delete(old.access);
      const t = this.issue(old.grant, "user");
      return {
        status: 200,
        body: {
          access_token: t.access,
          refresh_token: t.refresh,
          expires_in: old.grant.expiresIn,
          scope: old.grant.scopes,
          token_type: "bearer",
        },
      };
    }
    if (path === "/oauth2/token" && body.grant_type === "client_credentials") {
      const access = mint("fake-app-token");
      this.tokens.set(access, { platform: "twitch", kind: "app", scopes: [], expiresAt: Date.now() + 5_000_000_000 });
      return { status: 200, body: { access_token: access, expires_in: 5_000_000, token_type: "bearer" } };
    }
    if (path === "/oauth2/revoke" || path === "/discord/oauth2/token/revoke") {
      const t = this.tokens.get(String(body.token));
      if (t) t.revoked = true;
      return { status: 200, body: path === "/oauth2/revoke" ? "" : {} };
    }
    if (path === "/discord/oauth2/token" && code.startsWith("code-")) {
      if (grant?.platform !== "discord")
        return { status: 400, body: { error: "invalid_grant", error_description: 'Invalid "code" in request.' } };
      this.codes.delete(code);
      const t = this.issue(grant, "user");
      return {
        status: 200,
        body: {
          access_token: t.access,
          refresh_token: t.refresh,
          token_type: "Bearer",
          expires_in: 604_800,
          scope: grant.scopes.join(" "),
          guild: { ...grant.guild, owner_id: grant.userId },
        },
      };
    }
    if (path === "/slack/oauth.v2.access") {
      if (grant?.platform !== "slack") return { status: 200, body: { ok: false, error: "invalid_code" } };
      this.codes.delete(code);
      const access = mint("xoxb-fake");
      this.tokens.set(access, {
        platform: "slack",
        kind: "bot",
        scopes: grant.scopes,
        team: grant.team,
        userId: `B${grant.team?.id}`,
        expiresAt: Number.POSITIVE_INFINITY,
      });
      return {
        status: 200,
        body: {
          ok: true,
          access_token: access,
          token_type: "bot",
          scope: grant.scopes.join(","),
          bot_user_id: `U0BOT${grant.team?.id}`,
          app_id: "A0FAKE",
          team: grant.team,
          authed_user: { id: grant.userId },
        },
      };
    }
    return null;
  }

  /**
   * Twitch's `GET /oauth2/validate` (also at `/auth/validate`, where twurple's TWURPLE_MOCK_API_PORT
   * sends it): who a live user token belongs to, or 401 for an unknown, expired or revoked one.
   */
  validate(headers: Record<string, string>): Answer {
    const info = this.tokens.get(this.bearer(headers) ?? "");
    if (info?.platform !== "twitch" || info.kind !== "user" || info.revoked || info.expiresAt <= Date.now())
      return { status: 401, body: { status: 401, message: "invalid access token" } };
    const expires_in = Math.floor((info.expiresAt - Date.now()) / 1000);
    return {
      status: 200,
      body: { client_id: "fake-client", login: info.login, scopes: info.scopes, user_id: info.userId, expires_in },
    };
  }

  /** Answers for a checked token's identity calls (Helix Get Users, Slack auth.revoke / users.info). */
  identity(
    method: string,
    path: string,
    search: URLSearchParams,
    body: Record<string, unknown>,
    headers: Record<string, string>,
  ): Answer | null {
    const token = this.bearer(headers);
    const info = token ? this.tokens.get(token) : undefined;
    if (!info) return null;
    if (path === "/helix/users" && method === "GET" && !search.has("login") && info.kind === "user") {
      return { status: 200, body: { data: [{ id: info.userId, login: info.login, display_name: info.login }] } };
    }
    if (path === "/slack/auth.revoke") {
      info.revoked = true;
      return { status: 200, body: { ok: true, revoked: true } };
    }
    if (path === "/slack/users.info") {
      const id = String(body.user ?? "");
      const member = this.slackMembers.get(`${info.team?.id}:${id}`) ?? {};
      return { status: 200, body: { ok: true, user: { id, name: id, profile: { display_name: id }, ...member } } };
    }
    if (path === "/discord/users/@me/guilds" || path.startsWith("/discord/users/@me/guilds/")) return { status: 204 };
    return null;
  }
}
