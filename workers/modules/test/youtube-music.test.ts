import { describe, expect, it } from "vitest";
import { communityWith, fake, line, MOD, say, send, texts } from "./support.ts";

const result = (q: string, videoId: string, title: string) => ({
  method: "GET",
  path: `/youtube/v3/search?part=snippet&type=video&videoCategoryId=10&maxResults=1&q=${encodeURIComponent(q).replace(/%20/g, "+")}`,
  status: 200,
  body: {
    items: [
      {
        id: { kind: "youtube#video", videoId },
        snippet: {
          title,
          channelTitle: "Penguin Band",
          thumbnails: { high: { url: `https://i.ytimg.com/vi/${videoId}/hq.jpg` } },
        },
      },
    ],
  },
});

describe("the youtube-music module", () => {
  it("searches YouTube, queues requests from every platform, plays the head on the media overlay, skips", async () => {
    const { community } = await communityWith("youtube-music");
    const tag = crypto.randomUUID().slice(0, 6);
    await fake.script(result(`ice ${tag}`, "abcdef12345", "Ice Ice Penguin"));
    await fake.script(result(`snow ${tag}`, "bcdefg23456", "Let It Snow"));
    const first = await send(line(community, "twitch", `!yt ice ${tag}`));
    expect(texts(first)).toEqual(["Now playing: Ice Ice Penguin — Penguin Band"]);
    expect(first.replies.find((r) => r.type === "media")).toMatchObject({
      data: { title: "Ice Ice Penguin", artist: "Penguin Band", artUrl: "https://i.ytimg.com/vi/abcdef12345/hq.jpg" },
    });
    expect(await say(community, "discord", `!yt snow ${tag}`)).toEqual(["Queued: Let It Snow — Penguin Band"]);
    expect(await say(community, "slack", "!ytqueue")).toEqual(["Next: 1. Let It Snow"]);
    expect(await say(community, "slack", "!ytsong")).toEqual([
      "Now playing: Ice Ice Penguin — Penguin Band (requested by penguin)",
    ]);
    const [req] = await fake.requests(`q=ice+${tag}`);
    expect(req?.path).toContain("key=test-youtube-key");
    expect(await say(community, "discord", "!ytskip")).toEqual([]);
    expect(await say(community, "discord", "!ytskip", MOD)).toEqual(["Now playing: Let It Snow — Penguin Band"]);
    expect(await say(community, "discord", "!ytskip", MOD)).toEqual(["The queue is empty."]);
  });

  it("answers usage, too long, nothing found, an API failure and the per-user limit", async () => {
    const { community } = await communityWith("youtube-music");
    expect(await say(community, "discord", "!yt")).toEqual(["Usage: !yt <song name>"]);
    expect(await say(community, "discord", `!yt ${"s".repeat(301)}`)).toEqual([
      "That request is too long (300 characters at most).",
    ]);
    const tag = crypto.randomUUID().slice(0, 6);
    await fake.script({ method: "GET", path: `q=none+${tag}`, status: 200, body: { items: [] } });
    expect(await say(community, "discord", `!yt none ${tag}`)).toEqual([`Nothing found on YouTube for "none ${tag}".`]);
    await fake.script({ method: "GET", path: `q=down+${tag}`, status: 403, body: { error: { code: 403 } } });
    expect(await say(community, "discord", `!yt down ${tag}`)).toEqual(["YouTube search is not available right now."]);
    for (let i = 0; i < 4; i++) await fake.script(result(`s${i} ${tag}`, `vid${i}abcdefg`, `Song ${i}`));
    const user = { username: "greedy" };
    for (let i = 0; i < 4; i++) await say(community, "discord", `!yt s${i} ${tag}`, user);
    expect(await say(community, "discord", "!ytqueue")).toEqual(["Next: 1. Song 1, 2. Song 2, 3. Song 3"]);
    await fake.script(result(`s9 ${tag}`, "vid9abcdefg", "Song 9"));
    expect(await say(community, "discord", `!yt s9 ${tag}`, user)).toEqual(["You already have 3 songs in the queue."]);
  });
});
