import { officialManifest } from "../manifest.ts";

export const manifest = officialManifest({
  name: "alias",
  displayName: "Alias",
  description:
    "Linux-style command aliases: !alias add so !shoutout {args}. Expanded once; the target keeps its level and cooldown.",
  commands: [{ name: "alias", description: "!alias add <name> <!command …{args}> | remove <name> | list" }],
});
