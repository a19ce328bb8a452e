import type { PlatformConfig } from "../config.ts";
import { apiBase } from "../config.ts";
import { log } from "../log.ts";
import { platformFetch } from "../platforms/http.ts";
import type { TwitchChannel } from "./protocol.ts";

/**
 * What the coordinator spreads over the relay copies, read from the source of truth: the
 * Twitch channels of every community that connected Twitch (community_platforms, active), and
 * Discord's recommended shard count for the bot (GET /gateway/bot) while any community has
 * Discord connected.
 */

/** The IRC login of a connected channel: its display name lowercased (Twitch logins are that). */
function ircLogin(displayName: string | null): string | null {
  const login = (displayName ?? "").toLowerCase().replace(/[^a-z0-9_]/g, "");
  return login.length >= 1 && login.length <= 25 ? login : null;
}

export async function twitchChannels(db: D1Database): Promise<TwitchChannel[]> {
  const { results } = await db
    .prepare(
      "SELECT platform_id, display_name FROM community_platforms WHERE platform = 'twitch' AND status = 'active' ORDER BY platform_id",
    )
    .all<{ platform_id: string; display_name: string | null }>();
  const out: TwitchChannel[] = [];
  for (const row of results) {
    const login = ircLogin(row.display_name);
    if (login) out.push({ login, broadcasterId: row.platform_id });
    else log.warn("relay coordinator: Twitch connection without a usable login", { broadcasterId: row.platform_id });
  }
  return out;
}

/**
 * How many communities have Discord connected. With none, no copy holds the gateway (nothing it
 * hears could be filed under a community); a change re-reads the shard recommendation, which
 * Discord derives from the bot's guild count.
 */
export async function discordConnections(db: D1Database): Promise<number> {
  const row = await db
    .prepare("SELECT COUNT(*) AS n FROM community_platforms WHERE platform = 'discord' AND status = 'active'")
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Discord's shard recommendation; 1 when it cannot be asked (no token, Discord unreachable). */
export async function discordShardCount(env: PlatformConfig): Promise<number> {
  if (!env.DISCORD_BOT_TOKEN) return 1;
  try {
    const res = await platformFetch("discord", `${apiBase(env, "DISCORD_API_BASE")}/gateway/bot`, {
      headers: { authorization: `Bot ${env.DISCORD_BOT_TOKEN}` },
    });
    const shards = (res.body as { shards?: unknown } | null)?.shards;
    return res.status === 200 && Number.isInteger(shards) && (shards as number) > 0 ? (shards as number) : 1;
  } catch (error) {
    log.warn("relay coordinator: GET /gateway/bot failed, assuming 1 shard", { error });
    return 1;
  }
}
