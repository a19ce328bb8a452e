import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { snowflake } from "../../../test/shared/ids.ts";
import { call } from "../../../test/workerd/self.ts";
import { cookiesOf, identityRpc as rpc, signedIn } from "./helpers.ts";
import { fake } from "./link-helpers.ts";

type Platform = "discord" | "twitch" | "slack";

/** Runs /start, returning the state the platform would echo and the cookie the browser holds. */
async function start(platform: Platform) {
  const res = await call(`/api/v1/auth/oauth/${platform}/start`, { redirect: "manual" });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get("location")!);
  const stateCookie = res.headers.getSetCookie().find((c) => c.startsWith("wb_oauth_state="))!;
  expect(stateCookie).toContain("HttpOnly");
  return { location, state: location.searchParams.get("state")!, cookie: stateCookie.split(";")[0]! };
}

const callback = (platform: Platform, query: Record<string, string>, cookie: string) =>
  call(`/api/v1/auth/oauth/${platform}/callback?${new URLSearchParams(query)}`, {
    headers: { cookie },
    redirect: "manual",
  });

const uniqueId = snowflake;

describe("login with Discord, Twitch or Slack (OAuth 2 code flow)", () => {
  for (const platform of ["discord", "twitch", "slack"] as const) {
    it(`${platform}: signs in as the platform user and creates the account on first login`, async () => {
      const { state, cookie, location } = await start(platform);
      expect(location.searchParams.get("redirect_uri")).toBe(
        `http://127.0.0.1:8787/api/v1/auth/oauth/${platform}/callback`,
      );
      const id = uniqueId();
      const res = await callback(platform, { code: `${id}.player${id}`, state }, cookie);
      expect(res.status).toBe(302);
      const session = cookiesOf(res).wb_session!;
      const me = await call("/api/v1/auth/me", { headers: { cookie: `wb_session=${session}` } });
      expect(await me.json()).toMatchObject({
        data: { identities: [{ platform, platformUserId: id, username: `player${id}` }] },
      });
      const reply = await rpc.listLinks({ platform, platformUserId: id, username: `player${id}` });
      expect(reply.ok).toBe(true);
    });
  }

  it("exchanges the code at the configurable token endpoint", async () => {
    const { state, cookie } = await start("discord");
    const id = uniqueId();
    await callback("discord", { code: `${id}.tok`, state }, cookie);
    const req = await fake.waitFor("/discord/oauth2/token", (r) => (r.body as { code?: string }).code === `${id}.tok`);
    expect(req.body).toMatchObject({
      grant_type: "authorization_code",
      client_id: (env as unknown as Record<string, string>).DISCORD_APPLICATION_ID,
    });
  });

  it("refuses a callback whose state does not match the browser's cookie", async () => {
    const { state } = await start("twitch");
    const other = await start("twitch");
    expect((await callback("twitch", { code: "1.x", state }, other.cookie)).status).toBe(403);
    expect((await callback("twitch", { code: "1.x", state }, "")).status).toBe(403);
    // A state made for one platform does not work for another.
    const discordStart = await start("discord");
    const cross = await callback("twitch", { code: "1.x", state: discordStart.state }, discordStart.cookie);
    expect(cross.status).toBe(403);
  });

  it("answers 401 when the platform refuses the code", async () => {
    const { state, cookie } = await start("discord");
    expect((await callback("discord", { code: "garbage-without-user", state }, cookie)).status).toBe(401);
  });

  it("links the platform account to the signed-in portal user", async () => {
    const user = await signedIn();
    const { state, cookie } = await start("slack");
    const id = `U${uniqueId()}`;
    const res = await callback("slack", { code: `${id}.sam`, state }, `${cookie}; ${user.cookie}`);
    expect(res.status).toBe(302);
    const me = await call("/api/v1/auth/me", { headers: user.read });
    expect(await me.json()).toMatchObject({ data: { identities: [{ platform: "slack", platformUserId: id }] } });
  });
});
