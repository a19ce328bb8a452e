import { officialManifest } from "../manifest.ts";

export const manifest = officialManifest({
  name: "loyalty",
  displayName: "Loyalty",
  description:
    "Activity points become spendable: !points, !top, !give @user 50. One balance per person across linked identities.",
  commands: [
    { name: "points", description: "Your balance (or @user's)" },
    { name: "top", description: "The leaderboard (top 5)" },
    { name: "give", description: "!give @user 50: give some of your points" },
  ],
  settings: {
    type: "object",
    properties: {
      currency: { type: "string", title: "Currency name", default: "points", minLength: 1, maxLength: 20 },
    },
  },
});
