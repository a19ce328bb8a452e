import { toBase64, utf8 } from "../crypto/encoding.ts";
import { accountsBase, clientId, SPOTIFY_SCOPES, type SpotifyConfig, SpotifyError } from "./config.ts";

/**
 * Spotify's Authorization Code flow with PKCE (RFC 7636, S256):
 * https://developer.spotify.com/documentation/web-api/tutorials/code-pkce-flow
 * The verifier never leaves the server: it is kept sealed next to the state's hash and sent
 * only with the code, so a code caught on its way back is worth nothing without it.
 */

const b64url = (bytes: Uint8Array) => toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** 64 random bytes, base64url: 86 characters of [A-Za-z0-9_-] (RFC 7636 allows 43–128). */
export const newVerifier = () => b64url(crypto.getRandomValues(new Uint8Array(64)));
const challengeOf = async (verifier: string) =>
  b64url(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(verifier))));

export interface Tokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  scopes: string[];
}

/**
 * The URL to send the browser to. The state (issued by the router's OAuth state store, which
 * keeps the verifier sealed beside it: single use, 10 minutes, bound to the user and community)
 * travels; of the verifier only its S256 challenge does.
 */
export async function spotifyAuthorizeUrl(
  env: SpotifyConfig,
  input: { state: string; verifier: string; redirectUri: string },
): Promise<string> {
  const q = new URLSearchParams({
    client_id: clientId(env),
    response_type: "code",
    redirect_uri: input.redirectUri,
    state: input.state,
    scope: SPOTIFY_SCOPES.join(" "),
    code_challenge_method: "S256",
    code_challenge: await challengeOf(input.verifier),
  });
  return `${accountsBase(env)}/authorize?${q}`;
}

async function tokenCall(env: SpotifyConfig, fields: Record<string, string>): Promise<Tokens> {
  const id = clientId(env);
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  // A confidential app may authenticate too; the PKCE verifier is sent either way.
  if (env.SPOTIFY_CLIENT_SECRET) headers.authorization = `Basic ${btoa(`${id}:${env.SPOTIFY_CLIENT_SECRET}`)}`;
  let res: Response;
  try {
    res = await fetch(`${accountsBase(env)}/api/token`, {
      method: "POST",
      headers,
      body: new URLSearchParams({ ...fields, client_id: id }),
      signal: AbortSignal.timeout(5_000),
    });
  } catch (err) {
    throw new SpotifyError(0, `Spotify's token service could not be reached: ${(err as Error).message}`);
  }
  const b = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok || typeof b.access_token !== "string") {
    const reason = typeof b.error === "string" ? b.error : undefined;
    const why = typeof b.error_description === "string" ? b.error_description : (reason ?? `HTTP ${res.status}`);
    throw new SpotifyError(res.ok ? 502 : res.status, `Spotify refused: ${why}`, reason);
  }
  return {
    accessToken: b.access_token,
    refreshToken: typeof b.refresh_token === "string" ? b.refresh_token : null,
    expiresAt: typeof b.expires_in === "number" ? new Date(Date.now() + b.expires_in * 1000) : null,
    scopes: String(b.scope ?? "")
      .split(" ")
      .filter(Boolean),
  };
}

/** The callback's code and the stored verifier → tokens. */
export const exchangeCode = (env: SpotifyConfig, code: string, verifier: string, redirectUri: string) =>
  tokenCall(env, { grant_type: "authorization_code", code, redirect_uri: redirectUri, code_verifier: verifier });

/** A refresh; Spotify may rotate the refresh token (then the old one stops working). */
export const refreshTokens = (env: SpotifyConfig, refreshToken: string) =>
  tokenCall(env, { grant_type: "refresh_token", refresh_token: refreshToken });
