/** What every first-party module is built from: its call, helpers for answers, limits. */
import { levelAtLeast } from "../../../lib/chat/permission-level.ts";
import { createDb, type Database } from "../../../lib/db/client.ts";
import type { BotReply } from "../../../lib/events/chat-event.ts";
import type { ModuleCall, OfficialManifest } from "../../../lib/modules/contract.ts";
import type { Env } from "./env.ts";

export interface ModuleContext {
  env: Env;
  db: Database;
  call: ModuleCall;
  now: number;
}

/** One first-party module: its marketplace manifest and its handlers. */
export interface FirstPartyModule {
  manifest: OfficialManifest;
  /** A command of the manifest (`ctx.call.command` is set). */
  command?: (ctx: ModuleContext) => Promise<BotReply[]>;
  /** An event the manifest listens to (`message` lines, stream online/offline). */
  event?: (ctx: ModuleContext) => Promise<BotReply[]>;
}

export const contextFor = (env: Env, call: ModuleCall): ModuleContext => ({
  env,
  db: createDb(env.DB),
  call,
  now: Date.now(),
});

/** Longest text a user may store (a quote, a note, a timer message, a reminder). */
export const MAX_TEXT = 300;
/** A platform's chat message cap (Twitch 500, Discord 2000, Slack 4000 — BotReply caps at 2000). */
export const PLATFORM_LIMIT = { twitch: 500, discord: 2000, slack: 2000 } as const;

/** A chat answer, cut to the platform's message length. */
export const say = (call: Pick<ModuleCall, "platform">, text: string): BotReply[] => [
  { type: "chat", text: text.slice(0, PLATFORM_LIMIT[call.platform]) },
];

export const isModerator = (call: ModuleCall) => levelAtLeast(call.user.level, "moderator");
export const who = (call: ModuleCall) => call.user.displayName || call.user.username;
export const label = (call: ModuleCall) => `${call.command?.prefix ?? "!"}${call.command?.name ?? ""}`;
export const denied = (call: ModuleCall, what: string) => say(call, `Only moderators can ${what}.`);
export const tooLong = (call: ModuleCall, what = "That text") =>
  say(call, `${what} is too long (${MAX_TEXT} characters at most).`);
/** The answer a simulated try gets for anything that would write: a try never changes data. */
export const dry = (call: ModuleCall) => say(call, `${label(call)} would change data, so a try does not run it.`);

/** `@name`, `name` → `name` (lowercase, for lookups). */
export const bareName = (s: string) => s.replace(/^@/, "").trim();

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** `90s`, `10m`, `2h`, `1d` → milliseconds, within [min, max]; anything else → null. */
export function parseDuration(s: string | undefined, minMs: number, maxMs: number): number | null {
  const m = /^([1-9][0-9]{0,4})([smhd])$/.exec(s?.trim().toLowerCase() ?? "");
  if (!m) return null;
  const ms = Number(m[1]) * UNITS[m[2]!]!;
  return ms >= minMs && ms <= maxMs ? ms : null;
}

/** A whole number in [min, max] written as digits (optionally signed), or null. */
export function parseIntIn(s: string | undefined, min: number, max: number): number | null {
  if (!s || !/^[+-]?[0-9]{1,10}$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}

/** Names users give things (counters, aliases, timers, urls, notes, keywords). */
export const NAME = /^[a-z0-9_-]{1,32}$/;

/** Escapes text for the general overlay's HTML (the overlay sanitises tags too; this keeps names literal). */
export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
