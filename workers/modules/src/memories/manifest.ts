import { officialManifest } from "../manifest.ts";

export const manifest = officialManifest({
  name: "memories",
  displayName: "Memories",
  description: "Quotes, links, notes and reminders: !quote, !url, !note, !remind 10m stretch.",
  commands: [
    {
      name: "quote",
      description: "!quote | !quote 12 | add <text> | search <word> | tagged <label> | label/unlabel 12 <label>",
    },
    {
      name: "url",
      description:
        "!url <name> | list | tagged <label> | add <name> <url> | remove <name> | label/unlabel <name> <label>",
    },
    {
      name: "note",
      description:
        "!note <name> | list | tagged <label> | add <name> <text> | remove <name> | label/unlabel <name> <label>",
    },
    { name: "remind", description: "!remind 10m stretch: a reminder in this channel" },
  ],
});
