import { eq } from "drizzle-orm";
import { invalidateCommunityCache } from "../../../../lib/communities/resolve.ts";
import { revokeAtPlatform } from "../../../../lib/connections/exchange.ts";
import type { ConnectionRow } from "../../../../lib/connections/store.ts";
import { getBot, removeConnection, tokensOf } from "../../../../lib/connections/store.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { type Platform, twitchEventSubSubscriptions } from "../../../../lib/db/schema/index.ts";
import { log } from "../../../../lib/log.ts";
import { EVENTSUB_TYPES, eventSubCondition } from "../../../../lib/platforms/eventsub-types.ts";
import { PlatformError } from "../../../../lib/platforms/http.ts";
import { registerDiscordCommands, subscribeBroadcaster } from "../../../../lib/platforms/setup.ts";
import { deleteEventSubSubscription } from "../../../../lib/platforms/twitch.ts";
import { listCommandsFor } from "../commands/list.ts";
import type { Env } from "../env.ts";

/** What connecting set up on the platform, for the portal ("3 subscriptions pending"). */
interface SetupReport {
  ok: boolean;
  detail: string;
}

/** The webhooks worker's public origin: EventSub's callback hangs off it. */
function webhooksBaseUrl(env: Env): string | null {
  const url = env.WEBHOOKS_PUBLIC_URL || (env.WADDLEBOT_ENV === "local" ? "http://127.0.0.1:8788" : "");
  return url ? url.replace(/\/+$/, "") : null;
}

/**
 * After a grant is stored: Discord gets the community's slash commands in its guild; Twitch gets
 * the EventSub subscriptions the community needs (webhook transport, app token; conditions per
 * lib/platforms/eventsub-types.ts, chat read as the bot account), recorded as pending until
 * Twitch verifies the callback. Failures are reported, not thrown: the grant is kept.
 */
export async function afterConnect(env: Env, row: ConnectionRow): Promise<SetupReport> {
  try {
    if (row.platform === "discord") {
      const own = (await listCommandsFor(env, row.communityId, "owner")).filter((cmd) => cmd.prefix === "!");
      const names = await registerDiscordCommands(env, { guildId: row.accountId, communityCommands: own });
      return { ok: true, detail: `registered ${names.length} slash commands` };
    }
    if (row.platform === "twitch") {
      const base = webhooksBaseUrl(env);
      if (!base) return { ok: false, detail: "WEBHOOKS_PUBLIC_URL is not set: no EventSub subscriptions were made" };
      const bot = await getBot(env);
      const results = await subscribeBroadcaster(env, row.accountId, `${base}/twitch/eventsub`, bot?.accountId);
      const created = results.filter((r) => r.status === "created" && r.id);
      const db = createDb(env.DB);
      for (const r of created) {
        await db
          .insert(twitchEventSubSubscriptions)
          .values({
            id: r.id!,
            type: r.type,
            version: EVENTSUB_TYPES[r.type]?.version ?? "1",
            broadcasterId: row.accountId,
            condition: eventSubCondition(r.type, row.accountId, bot?.accountId),
            status: "pending",
          })
          .onConflictDoNothing();
      }
      const failed = results.filter((r) => r.status === "failed");
      return {
        ok: failed.length === 0,
        detail: failed.length
          ? `${failed.length} EventSub subscriptions failed: ${failed.map((f) => `${f.type} (${f.error})`).join(", ")}`
          : `${created.length} EventSub subscriptions created`,
      };
    }
    return { ok: true, detail: "connected" };
  } catch (err) {
    log.warn("post-connect setup failed", { platform: row.platform, error: err });
    return { ok: false, detail: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Disconnects: revokes the grant at the platform (best effort: a grant the user already revoked
 * must not keep the link alive), deletes the channel's EventSub subscriptions, then removes the
 * connection and the community's link, so its events no longer resolve and nothing is sent for it.
 */
export async function disconnect(env: Env, row: ConnectionRow): Promise<string[]> {
  const problems: string[] = [];
  try {
    const { accessToken } = await tokensOf(env, "platform_connections", row);
    if (accessToken) await revokeAtPlatform(env, row.platform, accessToken, row.accountId);
  } catch (err) {
    problems.push(err instanceof PlatformError ? err.message : "revocation failed");
  }
  if (row.platform === "twitch") {
    const db = createDb(env.DB);
    const subs = await db
      .select({ id: twitchEventSubSubscriptions.id })
      .from(twitchEventSubSubscriptions)
      .where(eq(twitchEventSubSubscriptions.broadcasterId, row.accountId))
      .all();
    for (const s of subs) {
      try {
        await deleteEventSubSubscription(env, s.id);
      } catch (err) {
        // 404: Twitch already dropped it.
        if (!(err instanceof PlatformError && err.status === 404))
          problems.push(`EventSub ${s.id}: ${(err as Error).message}`);
      }
    }
    await db.delete(twitchEventSubSubscriptions).where(eq(twitchEventSubSubscriptions.broadcasterId, row.accountId));
  }
  await removeConnection(env, row.communityId, row.platform as Platform);
  invalidateCommunityCache();
  return problems;
}
