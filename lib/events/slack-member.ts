import { TtlCache } from "../cache.ts";
import { slackBotToken, type TokenEnv } from "../connections/tokens.ts";
import { log } from "../log.ts";
import { type SlackMember, usersInfo } from "../platforms/slack.ts";
import type { ChatEvent } from "./chat-event.ts";

// A member's name and role change rarely; users.info is Tier 4 (100+/min), so five minutes per
// member keeps a busy channel far below it. Failures are not cached.
const members = new TtlCache<SlackMember>(5 * 60_000, 5_000);

/**
 * Slack events name members by id only. With the workspace's own token (users:read), the event
 * gets the member's display name ({user} in replies) and the chat level Slack's roles imply: the
 * primary owner and owners are `owner`, admins `admin` (lib/chat/permission-level.ts). Without a
 * token or on any failure the event goes on unchanged (everyone, by id).
 */
export async function withSlackMember(env: TokenEnv, event: ChatEvent, communityId: string): Promise<ChatEvent> {
  if (event.platform !== "slack") return event;
  try {
    const key = `${event.communityPlatformId}:${event.user.id}`;
    const member = await members.getOrLoad(key, async () =>
      usersInfo(env, await slackBotToken(env, { communityId }), event.user.id),
    );
    return {
      ...event,
      user: {
        ...event.user,
        displayName: member.displayName.slice(0, 100),
        ...(member.isPrimaryOwner || member.isOwner ? { isBroadcaster: true } : {}),
        ...(member.isAdmin ? { isAdmin: true } : {}),
      },
    };
  } catch (err) {
    log.warn("slack users.info failed; the member stays an id", { error: err instanceof Error ? err.message : err });
    return event;
  }
}
