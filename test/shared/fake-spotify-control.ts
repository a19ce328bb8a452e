/** The client side of the fake Spotify's controls (test/support/fake-spotify.ts); Node and workerd. */
export const fakeSpotify = (url: string) => {
  const post = (what: string, user: string, body: unknown = {}, extra = "") =>
    fetch(`${url}/_fake/spotify/${what}?user=${encodeURIComponent(user)}${extra}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }).then((r) => r.json());
  return {
    /** What the listener's Spotify plays now ({} or no title: nothing). */
    play: (
      user: string,
      t: { title?: string; artist?: string; album?: string; durationMs?: number; progressMs?: number },
    ) => post("play", user, t),
    device: (user: string, active: boolean) => post("device", user, {}, `&active=${active ? 1 : 0}`),
    /** Expires the listener's access tokens now (the refresh-on-401 path). */
    expire: (user: string) => post("expire", user),
    state: async (user: string) =>
      (await (await fetch(`${url}/_fake/spotify/state?user=${encodeURIComponent(user)}`)).json()) as {
        playing: { name: string } | null;
        queue: { id: string }[];
      },
    /** Every access and refresh token the fake issued (to look for them in D1). */
    tokens: async () => (await (await fetch(`${url}/_fake/spotify/tokens`)).json()) as string[],
  };
};
