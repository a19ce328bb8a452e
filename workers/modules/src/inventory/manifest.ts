import { officialManifest } from "../manifest.ts";

export const manifest = officialManifest({
  name: "inventory",
  displayName: "Inventory",
  description: "Items per user and per community: !inv, !inv add sword 2, !inv give @user sword.",
  commands: [
    {
      name: "inv",
      description:
        "!inv [@user] | give @user <item> [n] | add/remove <item> [n] [@user|community], label/unlabel <item> <label> (moderators) | tagged <label>",
    },
  ],
});
