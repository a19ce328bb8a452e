import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { seal } from "../../../lib/crypto/secret-box.ts";
import { createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { schedulerFor } from "../src/env.ts";
import { accountRow, authorizeAt, callback, connectSpotify, spotifyFake, startConnect } from "./spotify-support.ts";
import { api, communityWith, router, say } from "./support.ts";

/** The reason the callback's redirect to the Music page carries. */
const reason = (res: Response) => new URLSearchParams(res.headers.get("location")!.split("?")[1]).get("error");
const listener = () => `sp-${crypto.randomUUID().slice(0, 8)}`;

describe("connecting Spotify and the Music page's API", () => {
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
    const stored = await env.DB.prepare("SELECT * FROM oauth_states WHERE community_id = ? AND target = 'spotify'")
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
    // The platforms share the callback and the state store, but a Spotify state is not theirs (and stays unspent).
    expect((await callback(ok.search, authorization, "twitch")).status).toBe(400);
    expect((await callback(ok.search, authorization)).status).toBe(302);
    const replay = await callback(ok.search, authorization);
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { message: string }).message).toMatch(/unknown, expired or already used/);
    await env.DB.prepare("DELETE FROM spotify_accounts WHERE community_id = ?").bind(community.id).run();

    // Expired (older than 10 minutes).
    const late = await authorizeAt(await startConnect(community.id, authorization));
    await env.DB.prepare("UPDATE oauth_states SET expires_at = ? WHERE community_id = ?")
      .bind(Date.now() - 1, community.id)
      .run();
    expect((await callback(late.search, authorization)).status).toBe(400);

    // A verifier that does not match the challenge: Spotify (the fake) refuses the code.
    const swapped = await authorizeAt(await startConnect(community.id, authorization));
    const row = await env.DB.prepare("SELECT state_hash FROM oauth_states WHERE community_id = ?")
      .bind(community.id)
      .first<{ state_hash: string }>();
    const wrong = await seal(env, "w".repeat(64), `oauth_states.code_verifier:${row!.state_hash}`);
    await env.DB.prepare("UPDATE oauth_states SET code_verifier = ? WHERE state_hash = ?")
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
    const before = await env.DB.prepare("SELECT count(*) AS n FROM oauth_states").first<{ n: number }>();
    const res = await router.fetch(
      new Request(`http://router.test/api/v1/communities/${community.id}/music/spotify/connect`, {
        method: "POST",
        headers: { authorization: mod.authorization },
      }),
    );
    expect(res.status).toBe(403);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM oauth_states").first<{ n: number }>()).toEqual(before);
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
