import { officialManifest } from "../manifest.ts";

export const manifest = officialManifest({
  name: "memories",
  displayName: "Memories",
  description: "Quotes, links, notes and reminders: !quote, !url, !note, !remind 10m stretch.",
  commands: [
    { name: "quote", description: "!quote | !quote 12 | !quote add <text> | !quote search <word>" },
    { name: "url", description: "!url <name> | list | add <name> <url> | remove <name>" },
    { name: "note", description: "!note <name> | list | add <name> <text> | remove <name>" },
    { name: "remind", description: "!remind 10m stretch: a reminder in this channel" },
  ],
});
