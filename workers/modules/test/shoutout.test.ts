import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { exchangeCode } from "../../../lib/connections/exchange.ts";
import { redirectUri } from "../../../lib/connections/oauth.ts";
import { saveConnection } from "../../../lib/connections/store.ts";
import { fakeTwitchId } from "../../../test/shared/fake-control.ts";
import { countedD1 } from "../../../test/workerd/counted-d1.ts";
import { createUserWithKey } from "../../../test/workerd/fixtures.ts";
import type { Env } from "../src/env.ts";
import { sendNativeShoutout } from "../src/shoutout/native.ts";
import { api, type Community, communityWith, fake, line, MOD, say, send, texts } from "./support.ts";

const e = env as unknown as Env;

/** Connects the community's Twitch channel through the fake's authorize page, granting `scopes`. */
async function connectTwitch(community: Community, scopes: string) {
  const q = new URLSearchParams({
    redirect_uri: redirectUri(e, "twitch"),
    state: "s",
    scope: "",
    fake_user: `${community.platformIds.twitch}.caster${community.platformIds.twitch}`,
    fake_scopes: scopes,
  });
  const res = await fetch(`${env.FAKE_PLATFORM_URL}/oauth2/authorize?${q}`, { redirect: "manual" });
  const grant = await exchangeCode(e, "twitch", new URL(res.headers.get("location")!).searchParams.get("code")!);
  const { userId } = await createUserWithKey({ communityId: community.id, role: "owner" });
  await saveConnection(e, { communityId: community.id, platform: "twitch", grant, connectedBy: userId });
}

const shoutoutsFrom = (broadcaster: string) =>
  fake.requests(`/helix/chat/shoutouts?from_broadcaster_id=${broadcaster}&`);

const login = () => `streamer${crypto.randomUUID().slice(0, 6)}`;

/** Helix answers for a login's channel and clips on the fake platform. */
async function scriptChannel(name: string, game: string, clip?: string) {
  const id = fakeTwitchId(name);
  await fake.script({
    method: "GET",
    path: `/helix/channels?broadcaster_id=${id}`,
    status: 200,
    times: 5,
    body: { data: [{ game_name: game, title: "Live!" }] },
  });
  await fake.script({
    method: "GET",
    path: `/helix/clips?broadcaster_id=${id}`,
    status: 200,
    times: 5,
    body: { data: clip ? [{ url: clip, thumbnail_url: "https://clips.example/thumb.jpg", title: "a clip" }] : [] },
  });
}

describe("the shoutout module", () => {
  it("looks the streamer up on Helix and answers in chat with game and clip, plus an overlay card, from every platform", async () => {
    const { community } = await communityWith("shoutout");
    const names = [login(), login(), login()];
    for (const [i, platform] of (["twitch", "discord", "slack"] as const).entries()) {
      await scriptChannel(names[i]!, "Penguin Party", `https://clips.twitch.tv/${names[i]}-clip`);
      const out = await send(line(community, platform, `!so @${names[i]}`, MOD));
      expect(texts(out)).toEqual([
        `Go follow ${names[i]} at https://twitch.tv/${names[i]}! They were last playing Penguin Party. Clip: https://clips.twitch.tv/${names[i]}-clip`,
      ]);
      const card = out.replies.find((r) => r.type === "general") as { data: { html: string } } | undefined;
      expect(card?.data.html).toContain("https://clips.example/thumb.jpg");
    }
    const [req] = await fake.requests(`/helix/users?login=${names[0]}`);
    expect(req?.headers.authorization).toMatch(/^Bearer /);
    // No Twitch connection: no native shoutout is tried.
    expect(await shoutoutsFrom(community.platformIds.twitch)).toEqual([]);
  });

  it("sends Twitch's native shoutout as the broadcaster where the scope was granted, and skips it without", async () => {
    const [granted, refused] = [
      (await communityWith("shoutout")).community,
      (await communityWith("shoutout")).community,
    ];
    await connectTwitch(granted, "channel:bot moderator:manage:shoutouts");
    await connectTwitch(refused, "channel:bot moderator:manage:banned_users");
    const target = login();
    await scriptChannel(target, "Chess");
    expect((await say(granted, "discord", `!so ${target}`, MOD))[0]).toMatch(/^Go follow /);
    expect((await say(refused, "twitch", `!so ${target}`, MOD))[0]).toMatch(/^Go follow /);
    const [sent, ...more] = await shoutoutsFrom(granted.platformIds.twitch);
    expect(more).toEqual([]);
    const q = new URL(sent!.path, "http://fake").searchParams;
    expect(q.get("to_broadcaster_id")).toBe(fakeTwitchId(target));
    expect(q.get("moderator_id")).toBe(granted.platformIds.twitch);
    expect(sent!.token).toMatchObject({ kind: "user", userId: granted.platformIds.twitch });
    expect(await shoutoutsFrom(refused.platformIds.twitch)).toEqual([]);
    // Twitch refusing it (offline, its own cooldown) leaves the chat answer as it was.
    // Scripted for this broadcaster's shoutouts only: other files use the same fake.
    await fake.script({
      method: "POST",
      path: `/helix/chat/shoutouts?from_broadcaster_id=${granted.platformIds.twitch}&`,
      status: 400,
      body: { message: "offline" },
    });
    const other = login();
    await scriptChannel(other, "Go");
    expect((await say(granted, "twitch", `!so ${other}`, MOD))[0]).toMatch(/^Go follow /);
    // The shoutout was tried, and Twitch refused it.
    const tried = await shoutoutsFrom(granted.platformIds.twitch);
    expect(tried).toHaveLength(2);
    expect(tried[1]!.status).toBe(400);
  });

  it("reads the community's Twitch connection once for a native shoutout", async () => {
    const { community } = await communityWith("shoutout");
    await connectTwitch(community, "channel:bot moderator:manage:shoutouts");
    const counted = countedD1(env.DB);
    expect(await sendNativeShoutout({ ...e, DB: counted.d1 }, community.id, fakeTwitchId(login()))).toBe("sent");
    expect(counted.matching(/from "platform_connections"/i)).toHaveLength(1);
  });

  it("the fake Twitch refuses a shoutout with the app token or without the scope, as Helix does", async () => {
    const { community } = await communityWith("shoutout");
    await connectTwitch(community, "channel:bot");
    const tokens = await fake.tokens();
    const user = tokens.findLast((t) => t.userId === community.platformIds.twitch)!;
    const q = (mod: string) =>
      `${env.FAKE_PLATFORM_URL}/helix/chat/shoutouts?from_broadcaster_id=${mod}&to_broadcaster_id=123456&moderator_id=${mod}`;
    const missing = await fetch(q(community.platformIds.twitch), {
      method: "POST",
      headers: { authorization: `Bearer ${user.token}` },
    });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { message: string }).message).toBe("Missing scope: moderator:manage:shoutouts");
    const app = await fetch(q(community.platformIds.twitch), {
      method: "POST",
      headers: { authorization: "Bearer fake-app-token-1" },
    });
    expect(app.status).toBe(401);
    expect(((await app.json()) as { message: string }).message).toBe("/chat/shoutouts requires a user access token");
  });

  it("keeps a cooldown per target, configurable per community", async () => {
    const { community, authorization } = await communityWith("shoutout");
    const a = login();
    const b = login();
    await scriptChannel(a, "Chess");
    await scriptChannel(b, "Go");
    expect((await say(community, "twitch", `!shoutout ${a}`, MOD))[0]).toMatch(/^Go follow /);
    expect(await say(community, "twitch", `!shoutout ${a}`, MOD)).toEqual([
      `${a} had a shoutout less than 10 minutes ago.`,
    ]);
    expect((await say(community, "twitch", `!shoutout ${b}`, MOD))[0]).toMatch(/^Go follow /);
    const patched = await api("PATCH", `/api/v1/communities/${community.id}/installations/shoutout`, authorization, {
      settings: { cooldownMinutes: 0 },
    });
    expect(patched.status, patched.message).toBe(200);
    expect((await say(community, "twitch", `!shoutout ${a}`, MOD))[0]).toMatch(/^Go follow /);
  });

  it("refuses viewers, bad names and unknown users", async () => {
    const { community } = await communityWith("shoutout");
    expect(await say(community, "discord", "!so someone")).toEqual([]);
    for (const bad of ["!so", "!so a b", "!so bad-name!", `!so ${"x".repeat(26)}`])
      expect((await say(community, "discord", bad, MOD))[0], bad).toMatch(/^Usage: /);
    const ghost = login();
    await fake.script({ method: "GET", path: `/helix/users?login=${ghost}`, status: 200, body: { data: [] } });
    expect(await say(community, "discord", `!so ${ghost}`, MOD)).toEqual([`There is no Twitch user called ${ghost}.`]);
  });
});
