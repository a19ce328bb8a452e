/**
 * The call/reply contract between the router and the first-party modules worker
 * (workers/modules). It is the marketplace contract (engines/types.ts `ModulePayload` in, a
 * `ModuleResponse` out) carried over a service binding instead of a signed POST: a first-party
 * module is a marketplace module whose engine is `builtin` and whose handler lives in that worker.
 * Declared here, in the shared folder, so neither worker imports the other's code.
 */
import * as z from "zod";
import { PERMISSION_LEVELS } from "../chat/permission-level.ts";
import { BotReplySchema, EventTypeSchema } from "../events/chat-event.ts";
import type { CalendarRpc } from "./calendar-contract.ts";
import type { ManageResult } from "./manage.ts";

/** What a first-party module is called with (the marketplace payload, validated on arrival). */
export const ModuleCallSchema = z.object({
  sessionId: z.string().max(100),
  eventId: z.string().max(200),
  eventType: EventTypeSchema,
  communityId: z.string().min(1).max(100),
  platform: z.enum(["discord", "twitch", "slack"]),
  channel: z.object({ id: z.string().min(1).max(200), name: z.string().max(200).optional() }),
  user: z.object({
    id: z.string().min(1).max(200),
    username: z.string().max(200),
    displayName: z.string().max(200).optional(),
    level: z.enum(PERMISSION_LEVELS),
  }),
  command: z
    .object({
      prefix: z.string().max(1),
      name: z.string().max(64),
      args: z.array(z.string().max(2000)).max(64),
      rawArgs: z.string().max(4000),
    })
    .optional(),
  text: z.string().max(4000).optional(),
  data: z.record(z.string(), z.unknown()).default({}),
  simulated: z.boolean(),
  installationId: z.string().max(100).optional(),
  settings: z.record(z.string(), z.unknown()).default({}),
});
export type ModuleCall = z.infer<typeof ModuleCallSchema>;

export const ModuleAnswerSchema = z.object({ replies: z.array(BotReplySchema).max(10).default([]) });
export type ModuleAnswer = z.infer<typeof ModuleAnswerSchema>;

/** A first-party module's catalogue entry: a marketplace ModuleManifest (validated by the router). */
export type OfficialManifest = Record<string, unknown> & {
  name: string;
  version: Record<string, unknown> & { version: string };
};

/** A community's first-party module data, as the portal shows it. */
export const ModuleContentSchema = z.object({
  // `labels`: the Labels Core names on each quote / item kind (read-only chips in the portal).
  quotes: z.array(
    z.object({
      number: z.number().int(),
      text: z.string(),
      addedBy: z.string(),
      createdAt: z.string(),
      labels: z.array(z.string()),
    }),
  ),
  counters: z.array(z.object({ name: z.string(), value: z.number().int() })),
  inventory: z.array(
    z.object({ owner: z.string(), item: z.string(), quantity: z.number().int(), labels: z.array(z.string()) }),
  ),
  leaderboard: z.array(z.object({ name: z.string(), points: z.number().int() })),
  giveaways: z.array(
    z.object({
      id: z.string(),
      keyword: z.string(),
      status: z.string(),
      endsAt: z.string(),
      entries: z.number().int(),
      winners: z.array(z.string()),
    }),
  ),
  timers: z.array(
    z.object({
      name: z.string(),
      platform: z.string(),
      channelId: z.string(),
      message: z.string(),
      intervalMin: z.number().int(),
      minLines: z.number().int(),
    }),
  ),
});
export type ModuleContent = z.infer<typeof ModuleContentSchema>;

/** The modules worker's RPC surface, as the router sees it through the MODULES binding. */
export interface ModulesRpc extends CalendarRpc {
  ping(): Promise<string>;
  /** Runs one first-party module (by its handler name) for one command or event. */
  call(handler: string, payload: unknown): Promise<ModuleAnswer>;
  /** The manifests of every first-party module, for the marketplace catalogue. */
  catalog(): Promise<OfficialManifest[]>;
  /** `{counter:name}` in text commands: the community's counter values (missing ones are 0). */
  counterValues(communityId: string, names: string[]): Promise<Record<string, number>>;
  /** An alias's expansion for `!name args` (the alias module), or null when there is none. */
  expandAlias(communityId: string, name: string, rawArgs: string): Promise<string | null>;
  /** The portal's view of a community's module data. */
  content(communityId: string): Promise<ModuleContent>;
  /** Deletes quote #number; its text, or null when there was none. */
  deleteQuote(communityId: string, number: number): Promise<string | null>;
  /** A portal change to a module's data (lib/modules/manage.ts). */
  manage(communityId: string, op: unknown): Promise<ManageResult>;
  /** The spotify module's now-playing poll for a community: on (connected, skipped) or off (disconnected). */
  spotifyPoll(communityId: string, on: boolean): Promise<void>;
}

export type ModulesBinding = Fetcher & ModulesRpc;
