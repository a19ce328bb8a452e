import * as z from "zod";
import { helix } from "../../../../lib/platforms/twitch.ts";
import type { Env } from "../env.ts";

const Users = z.object({
  data: z.array(z.object({ id: z.string(), login: z.string(), display_name: z.string().optional() })).default([]),
});
const Channels = z.object({
  data: z.array(z.object({ game_name: z.string().optional(), title: z.string().optional() })).default([]),
});
const Clips = z.object({
  data: z
    .array(z.object({ url: z.string(), thumbnail_url: z.string().optional(), title: z.string().optional() }))
    .default([]),
});

interface Streamer {
  id: string;
  login: string;
  name: string;
  game?: string;
  title?: string;
  clip?: { url: string; thumbnail?: string; title?: string };
}

/**
 * The streamer behind a Twitch login, from Helix (Get Users, Get Channel Information, Get
 * Clips) with the app token; null when Twitch has no such user. Answers are parsed, so an odd
 * Helix body is "no data", never a crash. https://dev.twitch.tv/docs/api/reference/#get-users
 */
export async function lookUp(env: Env, login: string): Promise<Streamer | null> {
  const users = Users.safeParse(await helix(env, "GET", `/users?login=${encodeURIComponent(login)}`));
  const user = users.success ? users.data.data[0] : undefined;
  if (!user) return null;
  const id = encodeURIComponent(user.id);
  const [channel, clips] = await Promise.all([
    helix(env, "GET", `/channels?broadcaster_id=${id}`).then(
      (b) => Channels.safeParse(b),
      () => null,
    ),
    helix(env, "GET", `/clips?broadcaster_id=${id}&first=1`).then(
      (b) => Clips.safeParse(b),
      () => null,
    ),
  ]);
  const info = channel?.success ? channel.data.data[0] : undefined;
  const clip = clips?.success ? clips.data.data[0] : undefined;
  return {
    id: user.id,
    login: user.login,
    name: user.display_name || user.login,
    game: info?.game_name || undefined,
    title: info?.title || undefined,
    clip:
      clip && /^https:\/\//.test(clip.url)
        ? { url: clip.url, thumbnail: clip.thumbnail_url, title: clip.title }
        : undefined,
  };
}
