import { officialManifest } from "../manifest.ts";

export const manifest = officialManifest({
  name: "timers",
  displayName: "Timers",
  description:
    "Messages posted every N minutes while the stream is live, and only after M chat lines since the last one.",
  commands: [
    {
      name: "timer",
      description: "!timer add <name> <minutes> <min lines> <message> | remove <name> | list (moderators)",
    },
  ],
  events: ["message", "stream_online", "stream_offline"],
});
