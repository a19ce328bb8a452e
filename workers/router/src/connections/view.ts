import { eq, inArray } from "drizzle-orm";
import type * as z from "zod";
import { missingScopes } from "../../../../lib/connections/scopes.ts";
import { getBot, listConnections } from "../../../../lib/connections/store.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { communityPlatforms, PLATFORMS, twitchEventSubSubscriptions } from "../../../../lib/db/schema/index.ts";
import type { Env } from "../env.ts";
import type { Connection } from "./connections.schema.ts";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const LABEL = { discord: "Discord", twitch: "Twitch", slack: "Slack" } as const;

/** A community's three platforms as the portal shows them: never a token, only what they mean. */
export async function connectionsView(env: Env, communityId: string): Promise<z.infer<typeof Connection>[]> {
  const db = createDb(env.DB);
  const [rows, links, bot] = await Promise.all([
    listConnections(env, communityId),
    db.select().from(communityPlatforms).where(eq(communityPlatforms.communityId, communityId)).all(),
    getBot(env),
  ]);
  const twitchIds = rows.filter((r) => r.platform === "twitch").map((r) => r.accountId);
  const subs = twitchIds.length
    ? await db
        .select({ type: twitchEventSubSubscriptions.type, status: twitchEventSubSubscriptions.status })
        .from(twitchEventSubSubscriptions)
        .where(inArray(twitchEventSubSubscriptions.broadcasterId, twitchIds))
        .all()
    : [];
  return PLATFORMS.map((platform) => {
    const row = rows.find((r) => r.platform === platform);
    const link = links.find((l) => l.platform === platform);
    if (!row) {
      return {
        platform,
        source: link ? ("linked" as const) : ("none" as const),
        accountId: link?.platformId ?? null,
        accountName: link?.displayName ?? null,
        accountLogin: null,
        status: link ? ("linked" as const) : ("not_connected" as const),
        statusDetail: null,
        scopes: [],
        missing: [],
        problems: link
          ? [`${LABEL[platform]}: linked by the demo seed without a grant; connect it to use your own account.`]
          : [],
        tokenExpiresAt: null,
        lastEventAt: null,
        connectedAt: null,
        subscriptions: [],
      };
    }
    const missing = missingScopes(platform, row.scopes);
    const who =
      platform === "twitch"
        ? "the broadcaster has"
        : platform === "slack"
          ? "the workspace has"
          : "the server owner has";
    const problems = missing.map((m) => `${LABEL[platform]}: ${who} not granted ${m.scope} — ${m.effect}.`);
    if (row.status === "revoked") problems.unshift(`${LABEL[platform]}: access was revoked; connect again.`);
    if (row.status === "error") problems.unshift(`${LABEL[platform]}: ${row.statusDetail ?? "the last call failed"}.`);
    if (platform === "twitch" && !bot) {
      problems.push(
        "Twitch: the instance's bot account is not authorised yet; chat replies cannot be sent as the bot.",
      );
    }
    return {
      platform,
      source: "oauth" as const,
      accountId: row.accountId,
      accountName: row.accountName,
      accountLogin: row.accountLogin,
      status: row.status,
      statusDetail: row.statusDetail,
      scopes: row.scopes,
      missing,
      problems,
      tokenExpiresAt: iso(row.tokenExpiresAt),
      lastEventAt: iso(row.lastEventAt),
      connectedAt: iso(row.createdAt),
      subscriptions: platform === "twitch" ? subs : [],
    };
  });
}
