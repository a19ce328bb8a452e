import { levelAtLeast, type PermissionLevel } from "../../../../lib/chat/permission-level.ts";
import type { commands } from "../../../../lib/db/schema/index.ts";
import { type ModuleDef, prefixForEngine } from "../modules/config.ts";
import { BUILTINS } from "./builtins.ts";
import type { CommandPrefix } from "./parse.ts";

type CommandRow = typeof commands.$inferSelect;

/** One runnable command, whatever defined it. */
export interface CommandEntry {
  /** The registry row (null for built-ins and module commands nobody overrode). */
  id: string | null;
  prefix: CommandPrefix;
  name: string;
  kind: "text" | "builtin" | "module";
  response: string | null;
  module: ModuleDef | null;
  description: string;
  minLevel: PermissionLevel;
  enabled: boolean;
  disabledChannels: string[];
  globalCooldownSec: number;
  userCooldownSec: number;
  /** Where it came from: the later ones override the earlier ones. */
  source: "builtin" | "module" | "global" | "community";
}

export type CommandTable = Map<string, CommandEntry>;

const key = (prefix: string, name: string) => prefix + name;
const defaults = { enabled: true, disabledChannels: [], globalCooldownSec: 0, userCooldownSec: 0, response: null };

/**
 * Merges the registry for one community: built-ins < installed modules' commands < global
 * rows < the community's rows. A row of kind `module` points at its module; a `module` row
 * whose module is not installed here is left out.
 */
export function buildCommandTable(communityId: string, rows: CommandRow[], modules: ModuleDef[]): CommandTable {
  const table: CommandTable = new Map();
  for (const [name, b] of Object.entries(BUILTINS)) {
    table.set(key("!", name), {
      ...defaults,
      id: null,
      prefix: "!",
      name,
      kind: "builtin",
      module: null,
      ...b,
      source: "builtin",
    });
  }
  for (const m of modules) {
    for (const name of m.commands) {
      const prefix = prefixForEngine(m.engine);
      table.set(key(prefix, name), {
        ...defaults,
        id: null,
        prefix,
        name,
        kind: "module",
        module: m,
        description: `${m.name} module`,
        minLevel: "everyone",
        source: "module",
      });
    }
  }
  const byId = new Map(modules.map((m) => [m.id, m]));
  const ordered = [...rows.filter((r) => r.communityId === null), ...rows.filter((r) => r.communityId === communityId)];
  for (const r of ordered) {
    const module = r.moduleId ? (byId.get(r.moduleId) ?? null) : null;
    if (r.kind === "module" && !module) continue;
    if (r.kind === "builtin" && !BUILTINS[r.name]) continue;
    table.set(key(r.prefix, r.name), {
      id: r.id,
      prefix: r.prefix,
      name: r.name,
      kind: r.kind,
      response: r.response,
      module,
      description: r.description,
      minLevel: r.minLevel,
      enabled: r.enabled,
      disabledChannels: r.disabledChannels,
      globalCooldownSec: r.globalCooldownSec,
      userCooldownSec: r.userCooldownSec,
      source: r.communityId === null ? "global" : "community",
    });
  }
  return table;
}

/** The command a parsed line names (a Map lookup: the cost of a cached lookup). */
export function lookupCommand(table: CommandTable, prefix: CommandPrefix, name: string): CommandEntry | undefined {
  return table.get(key(prefix, name));
}

/** Is the command switched on here (enabled, not disabled in this channel)? */
export const isActiveIn = (cmd: CommandEntry, channelId: string) =>
  cmd.enabled && !cmd.disabledChannels.includes(channelId);

/**
 * The commands a caller of `level` may run in a channel, sorted by name. Other code (the
 * help built-in, Discord autocomplete via commands-list) lists a community's commands with this.
 */
export function visibleCommands(table: CommandTable, level: PermissionLevel, channelId?: string): CommandEntry[] {
  return [...table.values()]
    .filter((c) => (channelId === undefined ? c.enabled : isActiveIn(c, channelId)) && levelAtLeast(level, c.minLevel))
    .sort((a, b) => (a.prefix + a.name).localeCompare(b.prefix + b.name));
}
