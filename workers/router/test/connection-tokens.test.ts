import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { exchangeCode } from "../../../lib/connections/exchange.ts";
import { redirectUri } from "../../../lib/connections/oauth.ts";
import type { ConnectTarget } from "../../../lib/connections/scopes.ts";
import { getConnection, saveConnection } from "../../../lib/connections/store.ts";
import { twitchBroadcasterAuth } from "../../../lib/connections/tokens.ts";
import { fakeControl } from "../../../test/shared/fake-control.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { connectionsView } from "../src/connections/view.ts";
import type { Env } from "../src/env.ts";

const FAKE = env.FAKE_PLATFORM_URL;
const fake = fakeControl(FAKE);
const e = env as unknown as Env;

/** A grant as the fake issues it after `person` signs in on its authorize page. */
async function grantFor(target: ConnectTarget, page: string, person: Record<string, string>) {
  const q = new URLSearchParams({ redirect_uri: redirectUri(e, target), state: "s", scope: "", ...person });
  const res = await fetch(`${FAKE}${page}?${q}`, { redirect: "manual" });
  const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
  return exchangeCode(e, target, code);
}

async function connectedTwitch(person: Record<string, string>) {
  const c = await createCommunity();
  const { userId } = await createUserWithKey({ communityId: c.id, role: "owner" });
  const grant = await grantFor("twitch", "/oauth2/authorize", person);
  await saveConnection(e, { communityId: c.id, platform: "twitch", grant, connectedBy: userId });
  return { c, grant };
}

const id = () => String(400_000_000 + Math.floor(Math.random() * 1e8));

describe("Twitch user tokens renew themselves", () => {
  it("a token within a minute of expiry is refreshed before use, and the new one is stored sealed", async () => {
    const broadcaster = id();
    const { c, grant } = await connectedTwitch({
      fake_user: `${broadcaster}.soon`,
      fake_scopes: "moderator:manage:banned_users",
      fake_expires_in: "30",
    });
    const before = (await getConnection(e, c.id, "twitch"))!;
    const auth = (await twitchBroadcasterAuth(e, { communityId: c.id }))!;
    const token = await auth.token();
    expect(token).not.toBe(grant.accessToken);
    const after = (await getConnection(e, c.id, "twitch"))!;
    expect(after.accessToken).toMatch(/^v1\./);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.accessToken).not.toContain(token);
    expect(after.tokenExpiresAt!.getTime()).toBeGreaterThan(before.tokenExpiresAt!.getTime());
  });

  it("a refresh Twitch refuses marks the connection revoked, and the page says so", async () => {
    const { c, grant } = await connectedTwitch({ fake_user: `${id()}.gone` });
    // This connection's refresh only: other files refresh tokens at the same time.
    await fake.script({
      path: "/oauth2/token",
      bodyContains: encodeURIComponent(grant.refreshToken!),
      status: 400,
      body: { status: 400, message: "Invalid refresh token" },
    });
    const auth = (await twitchBroadcasterAuth(e, { communityId: c.id }))!;
    await expect(auth.refresh()).rejects.toThrow(/Invalid refresh token/);
    expect((await getConnection(e, c.id, "twitch"))!.status).toBe("revoked");
    const twitch = (await connectionsView(e, c.id)).find((v) => v.platform === "twitch")!;
    expect(twitch.status).toBe("revoked");
    expect(twitch.problems[0]).toBe("Twitch: access was revoked; connect again.");
    // A revoked grant is not used at all.
    await expect(twitchBroadcasterAuth(e, { communityId: c.id })).rejects.toThrow(/revoked/);
  });
});

describe("the fake platform refuses what the real ones refuse", () => {
  const helix = (path: string, token: string, body: unknown) =>
    fetch(`${FAKE}/helix${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("Helix moderation: an app token, another user's token or a missing scope is a 401", async () => {
    const broadcaster = id();
    const { grant } = await connectedTwitch({
      fake_user: `${broadcaster}.mod`,
      fake_scopes: "moderator:manage:banned_users",
    });
    const other = await grantFor("twitch", "/oauth2/authorize", {
      fake_user: `${id()}.other`,
      fake_scopes: "bits:read",
    });
    const app = (await (
      await fetch(`${FAKE}/oauth2/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials&client_id=x&client_secret=y",
      })
    ).json()) as { access_token: string };
    const ban = `/moderation/bans?broadcaster_id=${broadcaster}&moderator_id=${broadcaster}`;
    const body = { data: { user_id: "1234", duration: 60 } };
    expect((await helix(ban, grant.accessToken, body)).status).toBe(200);
    expect((await helix(ban, app.access_token, body)).status).toBe(401);
    expect((await helix(ban, other.accessToken, body)).status).toBe(401);
    const otherAsModerator = `/moderation/bans?broadcaster_id=${broadcaster}&moderator_id=${other.accountId}`;
    const missing = await helix(otherAsModerator, other.accessToken, body);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { message: string }).message).toBe(
      "Missing scope: moderator:manage:banned_users",
    );
    await fake.expireUser(broadcaster);
    expect((await helix(ban, grant.accessToken, body)).status).toBe(401);
  });

  it("Slack: workspace A's token cannot post in workspace B's channel", async () => {
    const a = await grantFor("slack", "/slack/oauth/v2/authorize", {
      fake_team: `TA${id()}:A`,
      fake_channels: "CAONLY",
    });
    const b = await grantFor("slack", "/slack/oauth/v2/authorize", {
      fake_team: `TB${id()}:B`,
      fake_channels: "CBONLY",
    });
    const post = async (token: string, channel: string) =>
      (await (
        await fetch(`${FAKE}/slack/chat.postMessage`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ channel, text: "hi" }),
        })
      ).json()) as { ok: boolean; error?: string };
    expect(await post(a.accessToken, "CAONLY")).toMatchObject({ ok: true });
    expect(await post(a.accessToken, "CBONLY")).toEqual({ ok: false, error: "channel_not_found" });
    expect(await post(b.accessToken, "CBONLY")).toMatchObject({ ok: true });
  });
});
