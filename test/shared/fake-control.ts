/**
 * The client side of the fake platform's control endpoints (test/support/fake-platform.ts).
 * Plain fetch, so tests in Node and in workerd use it alike.
 */
export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  raw: string;
  /** For a token the fake's OAuth flows issued: whose it is (fake-oauth.ts). */
  token?: { platform: string; kind: "user" | "app" | "bot"; userId?: string; team?: string };
  /** The HTTP status the fake answered (a refusal is recorded too: assert the call was accepted). */
  status?: number;
}

export interface Scripted {
  method?: string;
  /** Matches when the request path (with query) contains this. */
  path: string;
  /**
   * And, when given, only when the raw request body contains this: a script for one test's own
   * request (a refresh token, an id), which another file's call to the same path cannot take.
   */
  bodyContains?: string;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** How many requests to answer this way (default 1). */
  times?: number;
  delayMs?: number;
  /** Instead of `body`: stream this many bytes of `x` in 16 KiB chunks (chunked, no Content-Length). */
  streamBytes?: number;
}

/** The API base settings that point the workers at a fake platform at `url`. */
export function fakeBases(url: string): Record<string, string> {
  return {
    DISCORD_API_BASE: `${url}/discord`,
    TWITCH_API_BASE: `${url}/helix`,
    TWITCH_AUTH_BASE: `${url}/oauth2`,
    SLACK_API_BASE: `${url}/slack`,
    STRIPE_API_BASE: url,
    // The ai module's OpenAI-compatible API (base URL including /v1) and the key it sends.
    AI_API_BASE: `${url}/ai/v1`,
    AI_API_KEY: "test-ai-key",
    AI_MODEL: "test-model",
    YOUTUBE_API_BASE: `${url}/youtube/v3`,
    YOUTUBE_API_KEY: "test-youtube-key",
    // The spotify module: its accounts service and Web API (test/support/fake-spotify.ts).
    SPOTIFY_API_BASE: `${url}/spotify/v1`,
    SPOTIFY_ACCOUNTS_BASE: `${url}/spotify-accounts`,
    SPOTIFY_CLIENT_ID: "test-spotify-client",
    FAKE_PLATFORM_URL: url,
  };
}

/** The id the fake platform gives a Twitch login (Helix GET /users?login=): deterministic. */
export function fakeTwitchId(login: string): string {
  let h = 7;
  for (const ch of login.toLowerCase()) h = (h * 31 + ch.charCodeAt(0)) % 1_000_000_007;
  return String(100_000_000 + (h % 900_000_000));
}

/** Client side of the control endpoints (usable from Node and from workerd tests). */
export const fakeControl = (url: string) => ({
  async requests(pathFilter?: string): Promise<RecordedRequest[]> {
    const q = pathFilter ? `?path=${encodeURIComponent(pathFilter)}` : "";
    return (await fetch(`${url}/_fake/requests${q}`)).json() as Promise<RecordedRequest[]>;
  },
  async reset(): Promise<void> {
    await fetch(`${url}/_fake/reset`, { method: "POST" });
  },
  /** Every token the fake's OAuth flows issued (to look for them in D1). */
  async tokens(): Promise<{ token: string; platform: string; kind: string; userId?: string }[]> {
    return (await fetch(`${url}/_fake/tokens`)).json() as Promise<{ token: string; platform: string; kind: string }[]>;
  },
  async expireUser(userId: string): Promise<void> {
    await fetch(`${url}/_fake/expire?user=${encodeURIComponent(userId)}`, { method: "POST" });
  },
  async slackMember(member: { team: string; id: string; [k: string]: unknown }): Promise<void> {
    await fetch(`${url}/_fake/slack-member`, { method: "POST", body: JSON.stringify(member) });
  },
  /** Whose channel this is: a Discord channel's guild, a Slack channel's team (the delivery service asks). */
  async channelOwner(platform: "discord" | "slack", id: string, owner: string): Promise<void> {
    await fetch(`${url}/_fake/channel`, { method: "POST", body: JSON.stringify({ platform, id, owner }) });
  },
  async script(s: Scripted): Promise<void> {
    await fetch(`${url}/_fake/script`, { method: "POST", body: JSON.stringify(s) });
  },
  /** Polls until a request whose path contains `pathFilter` (and passes `match`) arrives. */
  async waitFor(pathFilter: string, match: (r: RecordedRequest) => boolean = () => true, timeoutMs = 5_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = (await this.requests(pathFilter)).find(match);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no request to ${pathFilter} within ${timeoutMs} ms`);
  },
});

/** Platform roles at the fake (test/support/fake-roles.ts): define one, read who holds it. */
export const fakeRoles = (url: string) => ({
  async define(platform: string, spaceId: string, roleId: string): Promise<void> {
    await fetch(`${url}/_fake/roles/define`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ platform, spaceId, roleId }),
    });
  },
  async holders(platform: string, spaceId: string, roleId: string): Promise<string[]> {
    const q = new URLSearchParams({ platform, spaceId, roleId });
    return ((await (await fetch(`${url}/_fake/roles?${q}`)).json()) as { members: string[] }).members;
  },
  /** Polls until the holders satisfy `match`. */
  async waitFor(
    platform: string,
    spaceId: string,
    roleId: string,
    match: (m: string[]) => boolean,
    timeoutMs = 10_000,
  ) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = await this.holders(platform, spaceId, roleId);
      if (match(m)) return m;
      if (Date.now() > deadline)
        throw new Error(`role ${platform}/${spaceId}/${roleId} holders stayed ${JSON.stringify(m)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  },
});
