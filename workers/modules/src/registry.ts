import { ai } from "./ai/index.ts";
import { alias } from "./alias/index.ts";
import { calendar } from "./calendar/index.ts";
import { counters } from "./counters/index.ts";
import { giveawaysModule } from "./giveaways/index.ts";
import { inventory } from "./inventory/index.ts";
import type { FirstPartyModule } from "./kit.ts";
import { loyalty } from "./loyalty/index.ts";
import { memories } from "./memories/index.ts";
import { shoutout } from "./shoutout/index.ts";
import { spotify } from "./spotify/index.ts";
import { timers } from "./timers/index.ts";
import { youtubeMusic } from "./youtube-music/index.ts";

/** Every first-party module by its handler name (= its marketplace name). */
export const MODULES: Record<string, FirstPartyModule> = {
  ai,
  alias,
  calendar,
  counters,
  giveaways: giveawaysModule,
  inventory,
  loyalty,
  memories,
  shoutout,
  spotify,
  timers,
  "youtube-music": youtubeMusic,
};
