import { officialManifest } from "../manifest.ts";

export const manifest = officialManifest({
  name: "counters",
  displayName: "Counters",
  description: "Named counters for the stream (!deaths, !counter wins +1), usable in commands as {counter:name}.",
  commands: [
    {
      name: "deaths",
      description: "The death counter: !deaths, !deaths +1, !deaths -1, !deaths set 5 (moderators change it)",
    },
    { name: "counter", description: "Any counter: !counter <name> [+N|-N|set N|reset]" },
  ],
});
