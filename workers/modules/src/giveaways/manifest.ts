import { officialManifest } from "../manifest.ts";

export const manifest = officialManifest({
  name: "giveaways",
  displayName: "Giveaways",
  description:
    "Keyword giveaways with optional subscriber luck and a fair WebCrypto draw; the winner is shown in chat and on the overlay.",
  commands: [
    {
      name: "giveaway",
      description: "!giveaway start <keyword> <5m> | draw | redraw | cancel (moderators); !giveaway: status",
    },
  ],
  events: ["message"],
  settings: {
    type: "object",
    properties: {
      subscriberLuck: { type: "integer", title: "Entries per subscriber", default: 2, minimum: 1, maximum: 10 },
    },
  },
});
