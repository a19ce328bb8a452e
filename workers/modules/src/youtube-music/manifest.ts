import { officialManifest } from "../manifest.ts";

export const manifest = officialManifest({
  name: "youtube-music",
  displayName: "YouTube Music requests",
  description:
    "Song requests searched on YouTube (Data API v3) into a queue per community; now playing on the media overlay.",
  commands: [
    { name: "yt", description: "!yt <song>: request a song" },
    { name: "ytsong", description: "What is playing" },
    { name: "ytqueue", description: "The next songs" },
    { name: "ytskip", description: "Next song (moderators)", minLevel: "moderator" },
  ],
  settings: {
    type: "object",
    properties: {
      maxPerUser: { type: "integer", title: "Queued requests per person", default: 3, minimum: 1, maximum: 20 },
    },
  },
});
