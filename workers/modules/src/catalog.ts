// The first-party modules' manifests alone (no handlers), for the catalogue and the demo seed.
import { manifest as ai } from "./ai/manifest.ts";
import { manifest as alias } from "./alias/manifest.ts";
import { manifest as calendar } from "./calendar/manifest.ts";
import { manifest as counters } from "./counters/manifest.ts";
import { manifest as giveaways } from "./giveaways/manifest.ts";
import { manifest as inventory } from "./inventory/manifest.ts";
import { manifest as loyalty } from "./loyalty/manifest.ts";
import { manifest as memories } from "./memories/manifest.ts";
import { manifest as shoutout } from "./shoutout/manifest.ts";
import { manifest as spotify } from "./spotify/manifest.ts";
import { manifest as timers } from "./timers/manifest.ts";
import { manifest as youtubeMusic } from "./youtube-music/manifest.ts";

export const OFFICIAL_MANIFESTS = [
  ai,
  alias,
  calendar,
  counters,
  giveaways,
  inventory,
  loyalty,
  memories,
  shoutout,
  spotify,
  timers,
  youtubeMusic,
];
