import type { ChatUser } from "../events/chat-event.ts";

/**
 * Chat permission levels, lowest first. A command states the lowest level that may run it;
 * a moderation rule states the lowest level it exempts.
 */
export const PERMISSION_LEVELS = ["everyone", "subscriber", "vip", "moderator", "admin", "owner"] as const;
export type PermissionLevel = (typeof PERMISSION_LEVELS)[number];

const RANK: Record<PermissionLevel, number> = { everyone: 0, subscriber: 1, vip: 2, moderator: 3, admin: 4, owner: 5 };

const hasBadge = (user: ChatUser, ...names: string[]) =>
  user.badges.some((b) => names.includes(b.toLowerCase().split("/")[0] ?? ""));

/**
 * The one place a chat user's level is derived from what the platform said: the flags the
 * webhooks worker sets (isBroadcaster, isAdmin, ...) and Twitch badges. Platform role names
 * are not matched: a role called "Moderator" means nothing to Discord's permission model.
 */
export function permissionLevelOf(user: ChatUser): PermissionLevel {
  if (user.isBroadcaster || hasBadge(user, "broadcaster")) return "owner";
  if (user.isAdmin) return "admin";
  if (user.isModerator || hasBadge(user, "moderator")) return "moderator";
  if (user.isVip || hasBadge(user, "vip")) return "vip";
  if (user.isSubscriber || hasBadge(user, "subscriber", "founder")) return "subscriber";
  return "everyone";
}

/** Is `level` at least `required`? */
export function levelAtLeast(level: PermissionLevel, required: PermissionLevel): boolean {
  return RANK[level] >= RANK[required];
}

/** The ChatUser flags that make a user of a given level (the simulate endpoint uses this). */
export function flagsForLevel(level: PermissionLevel): Partial<ChatUser> {
  return {
    isBroadcaster: level === "owner",
    isAdmin: level === "admin",
    isModerator: level === "moderator",
    isVip: level === "vip",
    isSubscriber: level === "subscriber",
  };
}
