import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { OverlayRoom } from "../../../durable-objects/overlay-room.ts";
import { schedulerFor } from "../src/env.ts";
import { accountRow, connectSpotify, spotifyFake } from "./spotify-support.ts";
import { communityWith, fake, line, MOD, say, send, texts } from "./support.ts";

const listener = () => `sp-${crypto.randomUUID().slice(0, 8)}`;

describe("the spotify module", () => {
  it("answers !song, !sr, !skip and !srclear on every platform with the streamer's Spotify", async () => {
    const { community, authorization } = await communityWith("spotify");
    const dj = listener();
    await connectSpotify(community.id, authorization, dj);
    expect(await say(community, "discord", "!song")).toEqual(["Nothing is playing on Spotify."]);
    await spotifyFake.play(dj, {
      title: "Ice Ice Penguin",
      artist: "Penguin Band",
      album: "Cold",
      durationMs: 200_000,
      progressMs: 65_000,
    });
    const song = await send(line(community, "twitch", "!song"));
    expect(texts(song)).toEqual(["Now playing: Ice Ice Penguin — Penguin Band (1:05 / 3:20)"]);
    expect(song.replies.find((r) => r.type === "media")).toMatchObject({
      data: {
        title: "Ice Ice Penguin",
        artist: "Penguin Band",
        album: "Cold",
        durationMs: 200_000,
        positionMs: 65_000,
      },
    });
    const tag = crypto.randomUUID().slice(0, 6);
    expect(await say(community, "slack", `!sr snow ${tag}`)).toEqual([
      `Queued: snow ${tag} — Fake Artist (requested by penguin)`,
    ]);
    expect(await say(community, "twitch", `!sr hail ${tag}`)).toEqual([
      `Queued: hail ${tag} — Fake Artist (requested by penguin)`,
    ]);
    expect((await spotifyFake.state(dj)).queue).toHaveLength(2);
    // Moderators only: the router drops a member's !skip and !srclear before the module runs.
    expect(await say(community, "slack", "!srclear")).toEqual([]);
    expect(await say(community, "slack", "!srclear", MOD)).toEqual([
      "Cleared 2 song requests (songs already in Spotify's queue stay there: Spotify cannot remove them).",
    ]);
    expect(await say(community, "discord", "!skip")).toEqual([]);
    expect(await say(community, "discord", "!skip", MOD)).toEqual(["Skipped to the next song."]);
    expect((await spotifyFake.state(dj)).playing?.name).toBe(`snow ${tag}`);
    expect(await say(community, "slack", "!srclear", MOD)).toEqual(["There are no song requests."]);
    // Cleared requests older than a week go when the next request comes; newer ones stay.
    await env.DB.prepare("UPDATE spotify_requests SET created_at = ? WHERE community_id = ? AND title = ?")
      .bind(Date.now() - 8 * 86_400_000, community.id, `snow ${tag}`)
      .run();
    await say(community, "discord", `!sr sleet ${tag}`);
    const left = await env.DB.prepare(
      "SELECT title, status FROM spotify_requests WHERE community_id = ? ORDER BY title",
    )
      .bind(community.id)
      .all();
    expect(left.results).toEqual([
      { title: `hail ${tag}`, status: "cleared" },
      { title: `sleet ${tag}`, status: "pending" },
    ]);
  });

  it("answers usage lines, too long, nothing found, no device, the per-person limit and not connected", async () => {
    const { community, authorization } = await communityWith("spotify");
    expect(await say(community, "discord", "!song")).toEqual([
      "Spotify is not connected here yet: an admin connects it on the portal's Music page.",
    ]);
    const dj = listener();
    await connectSpotify(community.id, authorization, dj);
    expect(await say(community, "discord", "!sr")).toEqual(["Usage: !sr <song name>"]);
    expect(await say(community, "discord", `!sr ${"s".repeat(301)}`)).toEqual([
      "That request is too long (300 characters at most).",
    ]);
    expect(await say(community, "discord", "!skip now please", MOD)).toEqual(["Usage: !skip (no arguments)"]);
    expect(await say(community, "discord", "!sr nothing-found here")).toEqual([
      'Nothing found on Spotify for "nothing-found here".',
    ]);
    await spotifyFake.device(dj, false);
    expect(await say(community, "twitch", "!sr lonely")).toEqual([
      "Spotify has no active device: start playing something first.",
    ]);
    await spotifyFake.device(dj, true);
    const greedy = { id: "u-greedy", username: "greedy" };
    for (let i = 0; i < 3; i++) expect(await say(community, "slack", `!sr song ${i}`, greedy)).toHaveLength(1);
    expect(await say(community, "slack", "!sr song 4", greedy)).toEqual(["You already have 3 song requests waiting."]);
    // The same name on another platform is another person.
    expect(await say(community, "discord", "!sr song 4", greedy)).toEqual([
      "Queued: song 4 — Fake Artist (requested by greedy)",
    ]);
    expect((await spotifyFake.state(dj)).queue).toHaveLength(4);
  });

  it("keeps tokens sealed in D1, refreshes before expiry and on a 401, and stops when the refresh is refused", async () => {
    const { community, authorization } = await communityWith("spotify");
    const dj = listener();
    await connectSpotify(community.id, authorization, dj);
    const row = (await accountRow(community.id))!;
    const issued = await spotifyFake.tokens();
    expect(row.access_token).toMatch(/^v1\./);
    expect(row.refresh_token).toMatch(/^v1\./);
    for (const t of issued) expect(JSON.stringify(row)).not.toContain(t);
    await spotifyFake.play(dj, { title: "Refreshing", artist: "Mint", durationMs: 100_000 });

    // Spotify says the token expired: one refresh, the call again, new tokens sealed.
    await spotifyFake.expire(dj);
    expect(await say(community, "discord", "!song")).toEqual(["Now playing: Refreshing — Mint (0:00 / 1:40)"]);
    const refreshed = (await accountRow(community.id))!;
    expect(refreshed.access_token).not.toBe(row.access_token);
    expect(refreshed.refresh_token).not.toBe(row.refresh_token);

    // A minute before expiry the token is refreshed before the call (no 401 on the way).
    await env.DB.prepare("UPDATE spotify_accounts SET token_expires_at = ? WHERE community_id = ?")
      .bind(Date.now() + 30_000, community.id)
      .run();
    expect(await say(community, "discord", "!song")).toHaveLength(1);
    expect((await accountRow(community.id))!.access_token).not.toBe(refreshed.access_token);

    // The listener withdrew the app: the refresh is refused, the grant is marked, chat is told.
    await spotifyFake.expire(dj);
    await fake.script({
      method: "POST",
      path: "/spotify-accounts/api/token",
      // A refresh only: other files exchange Spotify codes on the same path at the same time.
      bodyContains: "grant_type=refresh_token",
      status: 400,
      body: { error: "invalid_grant", error_description: "Refresh token revoked" },
    });
    expect(await say(community, "discord", "!song")).toEqual([
      "Spotify access was withdrawn: an admin needs to connect it again.",
    ]);
    expect((await accountRow(community.id))!.status).toBe("revoked");
  });

  it("polls now playing from the scheduler's alarm and publishes to the media overlay only on change", async () => {
    const { community, authorization } = await communityWith("spotify");
    const dj = listener();
    const scheduler = schedulerFor(env as never, community.id);
    const started = Date.now();
    await connectSpotify(community.id, authorization, dj);
    // Connecting started the poll: its first look (nothing plays yet) runs on the alarm at once.
    // (Until it has run, next_at is the connect time; after it, one POLL_MS later.)
    await expect
      .poll(async () => (await scheduler.spotifyPoll())?.nextAt ?? 0, { interval: 20 })
      .toBeGreaterThanOrEqual(started + 15_000);
    const rooms = (env as unknown as { OVERLAY_ROOM: DurableObjectNamespace<OverlayRoom> }).OVERLAY_ROOM;
    const room = rooms.get(rooms.idFromName(community.id));
    const media = async () =>
      ((await room.recent("media")) as unknown as { data: Record<string, unknown> }[]).map((f) => f.data);
    expect(await media()).toEqual([]);
    await spotifyFake.play(dj, {
      title: "First Light",
      artist: "Dawn",
      album: "Morning",
      durationMs: 240_000,
      progressMs: 1_000,
    });
    let now = (await scheduler.spotifyPoll())!.nextAt;
    await scheduler.tick(now);
    expect(await media()).toEqual([
      expect.objectContaining({
        title: "First Light",
        artist: "Dawn",
        album: "Morning",
        durationMs: 240_000,
        positionMs: 1_000,
      }),
    ]);
    expect((await media())[0]).toHaveProperty("artUrl", expect.stringMatching(/^https:\/\/i\.scdn\.co\/image\//));
    // The same track again: nothing new on the overlay.
    now += 15_000;
    await scheduler.tick(now);
    expect(await media()).toHaveLength(1);
    await spotifyFake.play(dj, { title: "High Noon", artist: "Sun", durationMs: 200_000 });
    now += 15_000;
    await scheduler.tick(now);
    expect((await media()).map((m) => m.title)).toEqual(["First Light", "High Noon"]);
    const poll = (await scheduler.spotifyPoll())!;
    expect(poll.nextAt).toBe(now + 15_000);
    // The object restarts (evicted): the poll and what the overlay shows survive, so the same
    // track is not published again.
    await evictDurableObject(scheduler);
    expect(await scheduler.spotifyPoll()).toEqual(poll);
    await scheduler.tick(poll.nextAt);
    expect(await media()).toHaveLength(2);
    // Nothing plays and nobody is live: after the idle time the poll ends by itself.
    await spotifyFake.play(dj, {});
    await scheduler.tick((await scheduler.spotifyPoll())!.untilAt + 1);
    expect(await scheduler.spotifyPoll()).toBeNull();
    // Going live starts it again, and while live it does not stop for being idle; offline, it does.
    await send({ ...line(community, "twitch", ""), type: "stream_online", text: undefined });
    await vi.waitFor(async () => expect(await scheduler.spotifyPoll()).not.toBeNull());
    const live = (await scheduler.spotifyPoll())!;
    await scheduler.tick(live.untilAt + 1);
    expect(await scheduler.spotifyPoll()).not.toBeNull();
    await send({ ...line(community, "twitch", ""), type: "stream_offline", text: undefined });
    await vi.waitFor(async () => {
      await scheduler.tick((await scheduler.spotifyPoll())!.nextAt);
      expect(await scheduler.spotifyPoll()).toBeNull();
    });
  });
});
