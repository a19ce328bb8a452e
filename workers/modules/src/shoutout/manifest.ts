import { officialManifest } from "../manifest.ts";

export const manifest = officialManifest({
  name: "shoutout",
  displayName: "Shoutout",
  description:
    "!so user: looks the streamer up on Twitch (user, channel, last game, a recent clip), answers in chat and shows a card on the overlay; a cooldown per target.",
  commands: [
    { name: "so", description: "!so <twitch user>: a shoutout", minLevel: "moderator" },
    { name: "shoutout", description: "!shoutout <twitch user>: a shoutout", minLevel: "moderator" },
  ],
  settings: {
    type: "object",
    properties: {
      cooldownMinutes: {
        type: "integer",
        title: "Minutes before the same streamer again",
        default: 10,
        minimum: 0,
        maximum: 1440,
      },
    },
  },
});
