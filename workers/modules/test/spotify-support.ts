/** Connecting a test community's Spotify through the real flow: the router's API, the fake's authorize page, the callback. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { fakeSpotify } from "../../../test/shared/fake-spotify-control.ts";
import { api, router } from "./support.ts";

export const spotifyFake = fakeSpotify(env.FAKE_PLATFORM_URL);

/** POSTs the connect route; the authorize URL (at the fake) it answers. */
export async function startConnect(communityId: string, authorization: string): Promise<string> {
  const res = await api<{ authorizeUrl: string }>(
    "POST",
    `/api/v1/communities/${communityId}/music/spotify/connect`,
    authorization,
  );
  expect(res.status, res.message).toBe(200);
  return res.data.authorizeUrl;
}

/** What the person does at Spotify's page: the URL Spotify sends the browser back to. */
export async function authorizeAt(authorizeUrl: string, params: Record<string, string> = {}): Promise<URL> {
  const url = new URL(authorizeUrl);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = await fetch(url, { redirect: "manual" });
  expect(res.status).toBe(302);
  return new URL(res.headers.get("location")!);
}

/** The callback request (Spotify's unless `target` names a platform's), signed in with `authorization`. */
export const callback = (query: string, authorization: string, target = "spotify") =>
  router.fetch(
    new Request(`http://router.test/connect/${target}/callback${query}`, {
      headers: { authorization },
      redirect: "manual",
    }),
  );

/** Connects the community's Spotify as the fake listener `user`. */
export async function connectSpotify(communityId: string, authorization: string, user: string) {
  const back = await authorizeAt(await startConnect(communityId, authorization), { fake_user: user });
  const res = await callback(back.search, authorization);
  expect(res.status, `${back} ${await res.clone().text()}`).toBe(302);
  expect(res.headers.get("location")).toContain("/#/music?connected=spotify");
}

export const accountRow = (communityId: string) =>
  env.DB.prepare("SELECT * FROM spotify_accounts WHERE community_id = ?")
    .bind(communityId)
    .first<Record<string, string>>();
