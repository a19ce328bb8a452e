/**
 * A local Spotify for tests (used by fake-platform.ts): the accounts service (`/spotify-accounts`:
 * /authorize, /api/token) and the Web API (`/spotify/v1`), with the checks the real one makes:
 *  - /authorize needs client_id, response_type=code, a redirect_uri, code_challenge_method=S256
 *    and a 43-128 character code_challenge; it redirects back with a single-use code.
 *  - /api/token (authorization_code) needs that code, unused, with the same client_id and
 *    redirect_uri, and a code_verifier whose S256 is the challenge (else 400 invalid_grant);
 *    refresh_token grants rotate the refresh token (the old one stops working).
 *  - the API needs `Bearer <token>` from this fake (unknown → 401, expired → 401 "The access
 *    token expired"), and the scope each endpoint needs (403 "Insufficient client scope").
 * Test-only /authorize parameters stand for what the person does there: fake_user=<id> (who
 * signs in), fake_scopes=a b (grant fewer), fake_deny=1 (press Cancel).
 * Control: POST /_fake/spotify/play?user=<id> {title, artist, album?, durationMs?, progressMs?}
 * (what plays; {} stops), /_fake/spotify/device?user=<id>&active=0|1, /_fake/spotify/expire?user=<id>;
 * GET /_fake/spotify/state?user=<id> (playing + queue), GET /_fake/spotify/tokens.
 */
import { createHash } from "node:crypto";
import type { Answer } from "./fake-oauth.ts";

interface FakeTrack {
  id: string;
  name: string;
  artist: string;
  album: string;
  durationMs: number;
}
interface Listener {
  playing: FakeTrack | null;
  progressMs: number;
  queue: FakeTrack[];
  device: boolean;
}
interface Code {
  user: string;
  clientId: string;
  redirectUri: string;
  challenge: string;
  scopes: string[];
}
interface Token {
  user: string;
  scopes: string[];
  expiresAt: number;
}

const NEEDS: Record<string, string[]> = {
  "GET /me/player/currently-playing": ["user-read-currently-playing", "user-read-playback-state"],
  "POST /me/player/queue": ["user-modify-playback-state"],
  "POST /me/player/next": ["user-modify-playback-state"],
};

const b64url = (b: Buffer) => b.toString("base64url");
let n = 0;
const mint = (p: string) =>
  `${p}-${Date.now().toString(36)}-${(n++).toString(36)}-${Math.random().toString(36).slice(2)}`;
const idOf = (s: string) => createHash("sha256").update(s).digest("hex").slice(0, 22);
const apiError = (status: number, message: string, reason?: string): Answer => ({
  status,
  body: { error: { status, message, ...(reason ? { reason } : {}) } },
});
const tokenError = (error: string, description: string): Answer => ({
  status: 400,
  body: { error, error_description: description },
});

const trackJson = (t: FakeTrack) => ({
  id: t.id,
  uri: `spotify:track:${t.id}`,
  name: t.name,
  duration_ms: t.durationMs,
  artists: [{ name: t.artist }],
  album: { name: t.album, images: [{ url: `https://i.scdn.co/image/${t.id}`, width: 640, height: 640 }] },
});

export class FakeSpotify {
  private codes = new Map<string, Code>();
  private tokens = new Map<string, Token>();
  private refreshes = new Map<string, { user: string; scopes: string[]; clientId: string }>();
  private listeners = new Map<string, Listener>();
  /** Tracks search answered, so a queued one plays under its name. */
  private catalogue = new Map<string, FakeTrack>();

  private listener(user: string): Listener {
    const l = this.listeners.get(user) ?? { playing: null, progressMs: 0, queue: [], device: true };
    this.listeners.set(user, l);
    return l;
  }

  handle(
    method: string,
    path: string,
    q: URLSearchParams,
    fields: Record<string, unknown>,
    headers: Record<string, string>,
  ): Answer | null {
    if (path.startsWith("/_fake/spotify/")) return this.control(method, path.slice(15), q, fields);
    if (path === "/spotify-accounts/authorize" && method === "GET") return this.authorize(q);
    if (path === "/spotify-accounts/api/token" && method === "POST") return this.token(fields, headers);
    if (path.startsWith("/spotify/v1/")) return this.api(method, path.slice(11), q, headers);
    return null;
  }

  private authorize(q: URLSearchParams): Answer {
    const redirect = q.get("redirect_uri") ?? "";
    const clientId = q.get("client_id") ?? "";
    const challenge = q.get("code_challenge") ?? "";
    if (!clientId) return { status: 400, body: "INVALID_CLIENT: Invalid client" };
    if (!/^https?:\/\//.test(redirect)) return { status: 400, body: "INVALID_CLIENT: Invalid redirect URI" };
    if (q.get("response_type") !== "code") return { status: 400, body: "unsupported_response_type" };
    if (q.get("code_challenge_method") !== "S256" || !/^[A-Za-z0-9_-]{43,128}$/.test(challenge)) {
      return { status: 400, body: "invalid_request: code_challenge" };
    }
    const back = new URL(redirect);
    const state = q.get("state");
    if (state) back.searchParams.set("state", state);
    if (q.get("fake_deny") === "1") {
      back.searchParams.set("error", "access_denied");
      return { status: 302, headers: { location: back.toString() } };
    }
    const asked = (q.get("scope") ?? "").split(" ").filter(Boolean);
    const granted = q.get("fake_scopes")?.split(" ").filter(Boolean) ?? asked;
    const code = mint("sp-code");
    const user = q.get("fake_user") || mint("sp-user");
    this.codes.set(code, { user, clientId, redirectUri: redirect, challenge, scopes: granted });
    back.searchParams.set("code", code);
    return { status: 302, headers: { location: back.toString() } };
  }

  private issue(user: string, scopes: string[], clientId: string): Answer {
    const access = mint("sp-access");
    const refresh = mint("sp-refresh");
    this.tokens.set(access, { user, scopes, expiresAt: Date.now() + 3600_000 });
    this.refreshes.set(refresh, { user, scopes, clientId });
    return {
      status: 200,
      body: {
        access_token: access,
        token_type: "Bearer",
        scope: scopes.join(" "),
        expires_in: 3600,
        refresh_token: refresh,
      },
    };
  }

  private token(f: Record<string, unknown>, headers: Record<string, string>): Answer {
    const clientId = String(f.client_id ?? "");
    const basic = headers.authorization?.match(/^Basic (.+)$/)?.[1];
    if (basic && !Buffer.from(basic, "base64").toString().startsWith(`${clientId}:`)) {
      return { status: 400, body: { error: "invalid_client", error_description: "Invalid client" } };
    }
    if (f.grant_type === "authorization_code") {
      const code = this.codes.get(String(f.code ?? ""));
      if (!code) return tokenError("invalid_grant", "Invalid authorization code");
      this.codes.delete(String(f.code));
      if (code.clientId !== clientId) return tokenError("invalid_client", "Invalid client");
      if (code.redirectUri !== f.redirect_uri) return tokenError("invalid_grant", "Invalid redirect URI");
      const verifier = String(f.code_verifier ?? "");
      const s256 = b64url(createHash("sha256").update(verifier).digest());
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || s256 !== code.challenge) {
        return tokenError("invalid_grant", "code_verifier was incorrect");
      }
      return this.issue(code.user, code.scopes, clientId);
    }
    if (f.grant_type === "refresh_token") {
      const old = this.refreshes.get(String(f.refresh_token ?? ""));
      if (!old || old.clientId !== clientId) return tokenError("invalid_grant", "Invalid refresh token");
      this.refreshes.delete(String(f.refresh_token));
      return this.issue(old.user, old.scopes, clientId);
    }
    return tokenError("unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
  }

  private api(method: string, path: string, q: URLSearchParams, headers: Record<string, string>): Answer {
    const bearer = headers.authorization?.match(/^Bearer (.+)$/)?.[1];
    const token = bearer ? this.tokens.get(bearer) : undefined;
    if (!token) return apiError(401, "Invalid access token");
    if (token.expiresAt <= Date.now()) return apiError(401, "The access token expired");
    const needs = NEEDS[`${method} ${path}`];
    if (needs && !needs.some((s) => token.scopes.includes(s))) return apiError(403, "Insufficient client scope");
    const l = this.listener(token.user);
    if (method === "GET" && path === "/me")
      return { status: 200, body: { id: token.user, display_name: `DJ ${token.user}` } };
    if (method === "GET" && path === "/me/player/currently-playing") {
      if (!l.playing) return { status: 204 };
      return {
        status: 200,
        body: {
          is_playing: true,
          progress_ms: l.progressMs,
          currently_playing_type: "track",
          item: trackJson(l.playing),
        },
      };
    }
    if (method === "GET" && path === "/search") {
      const text = q.get("q") ?? "";
      if (q.get("type") !== "track" || !text) return apiError(400, "Bad search type field");
      if (text.includes("nothing-found")) return { status: 200, body: { tracks: { items: [] } } };
      const t = { id: idOf(text), name: text, artist: "Fake Artist", album: "Fake Album", durationMs: 180_000 };
      this.catalogue.set(t.id, t);
      return { status: 200, body: { tracks: { items: [trackJson(t)] } } };
    }
    if (method === "POST" && path === "/me/player/queue") {
      const uri = q.get("uri") ?? "";
      const m = /^spotify:track:([A-Za-z0-9]+)$/.exec(uri);
      if (!m) return apiError(400, "Invalid track uri");
      if (!l.device) return apiError(404, "Player command failed: No active device found", "NO_ACTIVE_DEVICE");
      const known = this.catalogue.get(m[1]!);
      l.queue.push(known ?? { id: m[1]!, name: `track ${m[1]}`, artist: "", album: "", durationMs: 180_000 });
      return { status: 204 };
    }
    if (method === "POST" && path === "/me/player/next") {
      if (!l.device) return apiError(404, "Player command failed: No active device found", "NO_ACTIVE_DEVICE");
      l.playing = l.queue.shift() ?? null;
      l.progressMs = 0;
      return { status: 204 };
    }
    return apiError(404, "Service not found");
  }

  private control(method: string, what: string, q: URLSearchParams, f: Record<string, unknown>): Answer {
    const user = q.get("user") ?? "";
    const l = this.listener(user);
    if (what === "play" && method === "POST") {
      l.playing = f.title
        ? {
            id: idOf(`${f.title}`),
            name: String(f.title),
            artist: String(f.artist ?? ""),
            album: String(f.album ?? ""),
            durationMs: Number(f.durationMs ?? 200_000),
          }
        : null;
      l.progressMs = Number(f.progressMs ?? 0);
      return { status: 200, body: { ok: true } };
    }
    if (what === "device" && method === "POST") {
      l.device = q.get("active") !== "0";
      return { status: 200, body: { ok: true } };
    }
    if (what === "expire" && method === "POST") {
      for (const t of this.tokens.values()) if (t.user === user) t.expiresAt = 0;
      return { status: 200, body: { ok: true } };
    }
    if (what === "state") return { status: 200, body: { playing: l.playing, queue: l.queue } };
    if (what === "tokens") return { status: 200, body: [...this.tokens.keys(), ...this.refreshes.keys()] };
    return { status: 404, body: { error: "unknown control" } };
  }
}
