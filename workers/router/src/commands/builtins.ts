import type { PermissionLevel } from "../../../../lib/chat/permission-level.ts";
import type { BotReply } from "../../../../lib/events/chat-event.ts";
import type { IdentityBinding } from "../../../../lib/rpc.ts";
import type { Env } from "../env.ts";
import type { RoutedEvent } from "../events/routed-event.ts";
import { permitBuiltin } from "../moderation/permits.ts";
import type { RouterConfig } from "../router-config.ts";
import { identityBuiltins } from "./builtins-identity.ts";

/** What a built-in sees. `visible` lists the commands a level may run here (from the registry). */
export interface BuiltinContext {
  level: PermissionLevel;
  args: string[];
  /** Commands visible to a level in this channel, as `!name` with their description and level. */
  visible(level: PermissionLevel): { label: string; description: string; minLevel: PermissionLevel }[];
  /** When the stream went live (ms), or null when offline / unknown. */
  liveSince: number | null;
  now: number;
  /** The event being answered (who typed it, where; live or simulated). */
  event: RoutedEvent;
  /** The identity worker, for built-ins that link accounts. */
  identity: IdentityBinding;
  /** The worker's bindings and the community's cached config, for built-ins with state (`!permit`). */
  env: Env;
  config: RouterConfig;
}

export interface Builtin {
  description: string;
  minLevel: PermissionLevel;
  /**
   * What the simulate endpoint may do with it: `run` for built-ins that only answer, `refuse`
   * for any with effects on accounts or stored state. Required, so a new built-in must decide.
   */
  inSimulation: "run" | "refuse";
  run(ctx: BuiltinContext): BotReply[] | Promise<BotReply[]>;
}

const chat = (text: string): BotReply[] => [{ type: "chat", text: text.slice(0, 2000) }];

/** "1h 2m 3s" */
function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const parts = [
    [Math.floor(s / 86_400), "d"],
    [Math.floor((s % 86_400) / 3600), "h"],
    [Math.floor((s % 3600) / 60), "m"],
    [s % 60, "s"],
  ] as const;
  const shown = parts.filter(([n]) => n > 0).map(([n, u]) => `${n}${u}`);
  return shown.length ? shown.join(" ") : "0s";
}

/** The built-in modules: they run in the worker (the identity ones ask the identity worker over RPC). */
export const BUILTINS: Record<string, Builtin> = {
  ping: {
    description: "Checks the bot is listening",
    minLevel: "everyone",
    inSimulation: "run",
    run: () => chat("pong"),
  },
  help: {
    description: "Lists the commands you can use (or `!help <command>`)",
    minLevel: "everyone",
    inSimulation: "run",
    run: (ctx) => {
      const mine = ctx.visible(ctx.level);
      const asked = ctx.args[0]?.toLowerCase().replace(/^(?![!#])/, "!");
      if (asked) {
        const found = mine.find((c) => c.label === asked);
        return chat(
          found ? `${found.label}: ${found.description || "no description"}` : `No command ${asked} for you.`,
        );
      }
      return chat(`Commands you can use: ${mine.map((c) => c.label).join(", ")}`);
    },
  },
  commands: {
    description: "Lists this channel's commands and who may use them",
    minLevel: "everyone",
    inSimulation: "run",
    run: (ctx) =>
      chat(
        `Commands: ${ctx
          .visible("owner")
          .map((c) => (c.minLevel === "everyone" ? c.label : `${c.label} (${c.minLevel}+)`))
          .join(", ")}`,
      ),
  },
  uptime: {
    description: "How long the stream has been live",
    minLevel: "everyone",
    inSimulation: "run",
    run: (ctx) =>
      chat(ctx.liveSince ? `Live for ${formatDuration(ctx.now - ctx.liveSince)}.` : "The stream is offline."),
  },
  permit: permitBuiltin,
  ...identityBuiltins((ctx) => ctx.identity),
};
