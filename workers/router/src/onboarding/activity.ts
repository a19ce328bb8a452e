import { createDb } from "../../../../lib/db/client.ts";
import { type Platform, platformActivity } from "../../../../lib/db/schema/index.ts";
import { log } from "../../../../lib/log.ts";
import type { Deferrer, Env } from "../env.ts";

/** Per isolate: when each (community, platform) was last written, so a busy chat costs one write a minute. */
const written = new Map<string, number>();
const EVERY_MS = 60_000;

/**
 * Notes that a live event arrived from a platform (the getting-started checklist's "an event
 * received"). Deferred and throttled: it never slows or fails the event it notes.
 */
export function notePlatformEvent(env: Env, ctx: Deferrer, communityId: string, platform: Platform, now = Date.now()) {
  const key = `${communityId}:${platform}`;
  if (now - (written.get(key) ?? 0) < EVERY_MS) return;
  written.set(key, now);
  if (written.size > 10_000) written.clear();
  const at = new Date(now);
  ctx.waitUntil(
    createDb(env.DB)
      .insert(platformActivity)
      .values({ communityId, platform, lastEventAt: at })
      .onConflictDoUpdate({
        target: [platformActivity.communityId, platformActivity.platform],
        set: { lastEventAt: at },
      })
      .run()
      .then(() => undefined)
      .catch((err: unknown) => log.warn("platform activity not recorded", { error: String(err) })),
  );
}
