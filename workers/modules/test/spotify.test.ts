import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import type { OverlayRoom } from "../../../durable-objects/overlay-room.ts";
import { seal } from "../../../lib/crypto/secret-box.ts";
import { createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { schedulerFor } from "../src/env.ts";
import { accountRow, authorizeAt, callback, connectSpotify, spotifyFake, startConnect } from "./spotify-support.ts";
import { api, communityWith, fake, line, MOD, router, say, send, texts } from "./support.ts";

/** The reason the callback's redirect to the Music page carries. */
const reason = (res: Response) => new URLSearchParams(res.headers.get("location")!.split("?")[1]).get("error");
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

  it("refuses a malformed, unknown, replayed, expired or someone else's state, a wrong verifier and a moderator", async () => {
    const { community, authorization } = await communityWith("spotify");
    const noAccount = async () => expect(await accountRow(community.id)).toBeNull();
    const url = new URL(await startConnect(community.id, authorization));
    // PKCE S256: the challenge travels, the verifier does not (it is sealed at rest).
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get("scope")).toBe(
      "user-read-currently-playing user-read-playback-state user-modify-playback-state",
    );
    const stored = await env.DB.prepare("SELECT * FROM spotify_auth_states WHERE community_id = ?")
      .bind(community.id)
      .first<Record<string, string>>();
    expect(stored!.state_hash).not.toBe(url.searchParams.get("state"));
    expect(stored!.code_verifier).toMatch(/^v1\./);

    expect((await callback("?state=not-ours&code=x", authorization)).status).toBe(400);
    expect((await callback(`?state=${"ab".repeat(32)}&code=x`, authorization)).status).toBe(400);
    const back = await authorizeAt(url.toString(), { fake_user: listener() });
    // Someone else signed in: refused (and the state is spent).
    const other = await createUserWithKey({ communityId: community.id, role: "admin" });
    const stolen = await callback(back.search, other.authorization);
    expect(stolen.status).toBe(400);
    expect(((await stolen.json()) as { message: string }).message).toMatch(/started by someone else/);
    expect((await callback(back.search, authorization)).status).toBe(400);
    await noAccount();

    // A replayed state: the first callback connects, the same one again is refused.
    const ok = await authorizeAt(await startConnect(community.id, authorization), { fake_user: listener() });
    expect((await callback(ok.search, authorization)).status).toBe(302);
    const replay = await callback(ok.search, authorization);
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { message: string }).message).toMatch(/unknown, expired or already used/);
    await env.DB.prepare("DELETE FROM spotify_accounts WHERE community_id = ?").bind(community.id).run();

    // Expired (older than 10 minutes).
    const late = await authorizeAt(await startConnect(community.id, authorization));
    await env.DB.prepare("UPDATE spotify_auth_states SET expires_at = ? WHERE community_id = ?")
      .bind(Date.now() - 1, community.id)
      .run();
    expect((await callback(late.search, authorization)).status).toBe(400);

    // A verifier that does not match the challenge: Spotify (the fake) refuses the code.
    const swapped = await authorizeAt(await startConnect(community.id, authorization));
    const row = await env.DB.prepare("SELECT state_hash FROM spotify_auth_states WHERE community_id = ?")
      .bind(community.id)
      .first<{ state_hash: string }>();
    const wrong = await seal(env, "w".repeat(64), `spotify_auth_states.code_verifier:${row!.state_hash}`);
    await env.DB.prepare("UPDATE spotify_auth_states SET code_verifier = ? WHERE state_hash = ?")
      .bind(wrong, row!.state_hash)
      .run();
    const refused = await callback(swapped.search, authorization);
    expect(refused.status).toBe(302);
    expect(reason(refused)).toBe("Spotify refused: code_verifier was incorrect");
    // Cancelled at Spotify: back to the Music page with the reason.
    const denied = await callback(
      (await authorizeAt(await startConnect(community.id, authorization), { fake_deny: "1" })).search,
      authorization,
    );
    expect(reason(denied)).toBe("Spotify access was not granted");
    await noAccount();

    // Connecting is for admins; a moderator gets a 403 and no state is stored.
    const mod = await createUserWithKey({ communityId: community.id, role: "moderator" });
    const before = await env.DB.prepare("SELECT count(*) AS n FROM spotify_auth_states").first<{ n: number }>();
    const res = await router.fetch(
      new Request(`http://router.test/api/v1/communities/${community.id}/music/spotify/connect`, {
        method: "POST",
        headers: { authorization: mod.authorization },
      }),
    );
    expect(res.status).toBe(403);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM spotify_auth_states").first<{ n: number }>()).toEqual(
      before,
    );
  });

  it("serves the Music page's API: moderators read, skip and clear; bad actions are 400; admins disconnect (audited)", async () => {
    const { community, authorization } = await communityWith("spotify");
    const base = `/api/v1/communities/${community.id}/music`;
    const mod = await createUserWithKey({ communityId: community.id, role: "moderator" });
    const member = await createUserWithKey({ communityId: community.id, role: "member" });
    expect((await api("POST", `${base}/spotify/skip`, mod.authorization)).status).toBe(404);
    const dj = listener();
    await connectSpotify(community.id, authorization, dj);
    await spotifyFake.play(dj, { title: "Portal Song", artist: "Admins", durationMs: 120_000, progressMs: 60_000 });
    await say(community, "discord", "!sr iceberg");
    const view = await api<{ spotify: Record<string, unknown> }>("GET", base, mod.authorization);
    expect(view.status).toBe(200);
    expect(view.data.spotify).toMatchObject({
      configured: true,
      status: "active",
      account: { id: dj, name: `DJ ${dj}` },
      nowPlaying: { title: "Portal Song", artist: "Admins", positionMs: 60_000, durationMs: 120_000, isPlaying: true },
      requests: [expect.objectContaining({ title: "iceberg", requestedBy: "penguin" })],
    });
    expect(JSON.stringify(view.data)).not.toMatch(/sp-access|sp-refresh|v1\./);
    // A simulated try (the portal's "try it") never queues, skips or clears.
    for (const text of ["!sr simulated song", "!skip", "!srclear"]) {
      const tried = await api("POST", `/api/v1/communities/${community.id}/simulate`, authorization, {
        platform: "discord",
        text,
        level: "moderator",
      });
      expect(JSON.stringify(tried.data), text).toContain("would change data");
    }
    expect((await spotifyFake.state(dj)).queue).toHaveLength(1);
    expect((await api("POST", `${base}/spotify/explode`, mod.authorization)).status).toBe(400);
    expect((await api("POST", `${base}/spotify/skip`, member.authorization)).status).toBe(403);
    expect((await api("POST", `${base}/spotify/clear`, mod.authorization)).data).toEqual({ cleared: 1 });
    expect((await api("POST", `${base}/spotify/skip`, mod.authorization)).data).toEqual({ skipped: true });
    // Disconnecting is an admin's: a moderator's 403 leaves the grant.
    expect((await api("DELETE", `${base}/spotify`, mod.authorization)).status).toBe(403);
    expect(await accountRow(community.id)).not.toBeNull();
    expect((await api("DELETE", `${base}/spotify`, authorization)).status).toBe(200);
    expect(await accountRow(community.id)).toBeNull();
    expect(await schedulerFor(env as never, community.id).spotifyPoll()).toBeNull();
    await vi.waitFor(async () => {
      const audit = await env.DB.prepare(
        "SELECT action FROM audit_log WHERE community_id = ? AND action LIKE 'music.%' ORDER BY action",
      )
        .bind(community.id)
        .all<{ action: string }>();
      expect(audit.results.map((r) => r.action)).toEqual([
        "music.spotify.clear",
        "music.spotify.connect",
        "music.spotify.disconnect",
        "music.spotify.skip",
      ]);
    });
    expect(await say(community, "discord", "!song")).toEqual([
      "Spotify is not connected here yet: an admin connects it on the portal's Music page.",
    ]);
  });
});
