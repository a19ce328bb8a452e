import { describe, expect, it } from "vitest";
import { fakeTwitchId } from "../../../test/shared/fake-control.ts";
import { api, communityWith, fake, line, MOD, say, send, texts } from "./support.ts";

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
