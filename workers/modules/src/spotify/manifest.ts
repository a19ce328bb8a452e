import { officialManifest } from "../manifest.ts";

export const manifest = officialManifest({
  name: "spotify",
  displayName: "Spotify now playing and song requests",
  description:
    "The streamer's Spotify (connected by OAuth on the Music page): !song, !sr requests into Spotify's queue, moderator skip and clear; now playing on the media overlay.",
  commands: [
    { name: "song", description: "What plays on Spotify now" },
    { name: "sr", description: "!sr <song name>: request a song (searched on Spotify, added to its queue)" },
    { name: "skip", description: "Skip to the next song (moderators)", minLevel: "moderator" },
    { name: "srclear", description: "Clear the song requests (moderators)", minLevel: "moderator" },
  ],
  // Going live starts the now-playing poll (the media overlay), going offline lets it stop.
  events: ["stream_online", "stream_offline"],
  settings: {
    type: "object",
    properties: {
      maxPerUser: { type: "integer", title: "Pending requests per person", default: 3, minimum: 1, maximum: 20 },
    },
  },
});
