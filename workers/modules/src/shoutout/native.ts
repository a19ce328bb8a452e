import { getConnection } from "../../../../lib/connections/store.ts";
import { twitchConnectionAuth } from "../../../../lib/connections/tokens.ts";
import { log } from "../../../../lib/log.ts";
import { PlatformError } from "../../../../lib/platforms/http.ts";
import { helix } from "../../../../lib/platforms/twitch.ts";
import type { Env } from "../env.ts";

/** The scope Helix's Send a Shoutout needs on the moderator's (here: the broadcaster's) user token. */
const SHOUTOUT_SCOPE = "moderator:manage:shoutouts";

type NativeShoutout = "sent" | "no-connection" | "no-scope" | "self" | "refused";

/**
 * Twitch's own shoutout (the "Follow" card in the streamer's chat), sent as the broadcaster with
 * the community's connected Twitch token: moderator_id must be the token's user and the token
 * needs moderator:manage:shoutouts. Without a connection or the scope it is skipped (the chat
 * answer and the overlay card still go out). Twitch refuses it while offline, for the channel
 * itself, and within its own cooldowns (2 min any, 60 min per target): that is logged, not shown.
 * https://dev.twitch.tv/docs/api/reference/#send-a-shoutout
 */
export async function sendNativeShoutout(env: Env, communityId: string, toId: string): Promise<NativeShoutout> {
  const conn = await getConnection(env, communityId, "twitch");
  if (conn?.status !== "active") return "no-connection";
  if (!conn.scopes.includes(SHOUTOUT_SCOPE)) return "no-scope";
  if (conn.accountId === toId) return "self";
  try {
    // The connection just read carries the token: it is not read a second time.
    const auth = twitchConnectionAuth(env, conn);
    const q = new URLSearchParams({
      from_broadcaster_id: conn.accountId,
      to_broadcaster_id: toId,
      moderator_id: auth.userId,
    });
    await helix(env, "POST", `/chat/shoutouts?${q}`, undefined, auth);
    return "sent";
  } catch (err) {
    log.warn("native shoutout refused", {
      communityId,
      error: err instanceof PlatformError ? err.message : String(err),
    });
    return "refused";
  }
}
