import * as z from "zod";
import type { Env } from "../env.ts";

const Search = z.object({
  items: z
    .array(
      z.object({
        id: z.object({ videoId: z.string().regex(/^[A-Za-z0-9_-]{6,20}$/) }),
        snippet: z.object({
          title: z.string(),
          channelTitle: z.string().default(""),
          thumbnails: z.record(z.string(), z.object({ url: z.string() })).default({}),
        }),
      }),
    )
    .default([]),
});

interface Video {
  videoId: string;
  title: string;
  artist: string;
  artUrl?: string;
}

export class SearchUnavailable extends Error {}

/**
 * The first music video for a query (YouTube Data API v3 search.list, videoCategoryId 10 = Music;
 * 100 quota units a call). https://developers.google.com/youtube/v3/docs/search/list
 */
export async function searchVideo(env: Env, q: string): Promise<Video | null> {
  if (!env.YOUTUBE_API_KEY) throw new SearchUnavailable("YOUTUBE_API_KEY is not set");
  const base = (env.YOUTUBE_API_BASE || "https://www.googleapis.com/youtube/v3").replace(/\/$/, "");
  const params = new URLSearchParams({
    part: "snippet",
    type: "video",
    videoCategoryId: "10",
    maxResults: "1",
    q,
    key: env.YOUTUBE_API_KEY,
  });
  const res = await fetch(`${base}/search?${params}`, { signal: AbortSignal.timeout(4_000) });
  if (!res.ok) throw new SearchUnavailable(`YouTube answered ${res.status}`);
  const body = Search.safeParse(await res.json().catch(() => null));
  if (!body.success) throw new SearchUnavailable("YouTube answered something else than a search result");
  const item = body.data.items[0];
  if (!item) return null;
  const thumbs = item.snippet.thumbnails;
  const art = (thumbs.high ?? thumbs.medium ?? thumbs.default)?.url;
  return {
    videoId: item.id.videoId,
    title: item.snippet.title,
    artist: item.snippet.channelTitle,
    artUrl: art?.startsWith("https://") ? art : undefined,
  };
}
