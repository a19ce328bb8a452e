/**
 * The ai module's optional replies when the bot is mentioned (setting `mentionReplies`, off by
 * default). A mention is run as `!ai <the rest of the line>`, through the same path as the typed
 * command: its permission, the router's cooldowns, the module's per-user cooldown and daily
 * budget, the community's moderation rules on the answer and the platform's length cap.
 */
import { TtlCache } from "../../../../lib/cache.ts";
import { getBot } from "../../../../lib/connections/store.ts";
import type { ChatEvent } from "../../../../lib/events/chat-event.ts";
import { log } from "../../../../lib/log.ts";
import type { ParsedCommand } from "../commands/parse.ts";
import { splitArgs } from "../commands/parse.ts";
import type { CommandEntry } from "../commands/registry.ts";
import type { Env } from "../env.ts";
import type { RouterConfig } from "../router-config.ts";

/** The name people call the bot by when the community has not set one. */
const DEFAULT_BOT_NAME = "WaddleBot";
/** A mention longer than this is not a question for the AI (the module caps questions too). */
const MAX_MENTION = 500;

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// A community's bot name, the application id and the bot login are the same on every line, so
// each pattern is compiled once per name, not once per chat line. Only `replace` uses them, and
// `replace` starts a global pattern from index 0, so sharing one is safe. The bound holds the
// names of a few hundred communities in one isolate.
const patterns = new TtlCache<RegExp>(60 * 60_000, 500);

function pattern(key: string, source: () => string, flags: string): RegExp {
  let re = patterns.get(key);
  if (!re) {
    re = new RegExp(source(), flags);
    patterns.set(key, re);
  }
  return re;
}

// The instance's Twitch bot login changes only when the owner authorises another account.
const botLogins = new TtlCache<string>(60_000, 1);

async function twitchBotLogin(env: Env): Promise<string> {
  return botLogins.getOrLoad("bot", async () => {
    try {
      return (await getBot(env))?.accountLogin ?? "";
    } catch (err) {
      log.warn("bot login lookup failed", { error: err });
      return "";
    }
  });
}

// Found once per loaded router config (it is cached and replaced on every write), so a chat line
// that is no command costs a map lookup here, not a walk over the command table.
const found = new WeakMap<RouterConfig, CommandEntry | null>();

/** The installed ai module's command (whatever the community renamed it), when mention replies are on. */
function mentionCommand(config: RouterConfig): CommandEntry | null {
  let cmd = found.get(config);
  if (cmd === undefined) {
    cmd = null;
    for (const c of config.commands.values()) {
      const mod = c.module;
      if (c.kind === "module" && mod?.engine === "builtin" && mod.name === "ai" && mod.installation) {
        cmd = mod.installation.settings.mentionReplies === true ? c : null;
        break;
      }
    }
    found.set(config, cmd);
  }
  return cmd;
}

/**
 * The question in a line that mentions the bot, or null. Slack: an `app_mention` event (Slack
 * sends it besides the channel's `message`, which is therefore left alone when it holds a
 * `<@…>` mention). Discord: `<@application id>` (a bot user's id is its application's).
 * Twitch: `@login` of the instance's bot account. Everywhere: `@Name`, or `Name,` / `Name:`
 * opening the line, with the community's bot name.
 */
function mentionQuestion(
  event: Pick<ChatEvent, "platform" | "type">,
  text: string,
  names: { name: string; discordId?: string; twitchLogin?: string },
): string | null {
  if (text.length > MAX_MENTION) return null;
  const strip = (re: RegExp) => {
    const rest = text.replace(re, " ").replace(/\s+/g, " ").trim();
    return rest === text.trim() ? null : rest;
  };
  let rest: string | null = null;
  if (event.platform === "slack") {
    if (event.type === "app_mention") rest = text.replace(/<@[A-Z0-9]+>/g, " ").trim();
    else if (/<@[A-Z0-9]+>/.test(text)) return null;
  }
  const { discordId, twitchLogin } = names;
  if (rest === null && event.platform === "discord" && discordId)
    rest = strip(pattern(`discord:${discordId}`, () => `<@!?${literal(discordId)}>`, "g"));
  if (rest === null && event.platform === "twitch" && twitchLogin)
    rest = strip(pattern(`twitch:${twitchLogin}`, () => `(^|\\s)@${literal(twitchLogin)}\\b[,:]?`, "gi"));
  const { name } = names;
  if (rest === null && name) {
    const source = () => `(^|\\s)@${literal(name)}\\b[,:]?|^\\s*${literal(name)}\\s*[,:]`;
    rest = strip(pattern(`name:${name}`, source, "gi"));
  }
  return rest ? rest.replace(/^[\s,:]+/, "") || null : null;
}

/** The `!ai` command a mention stands for, or null when the line is no mention or replies are off. */
export async function mentionToCommand(
  env: Env,
  config: RouterConfig,
  event: Pick<ChatEvent, "platform" | "type">,
  text: string,
): Promise<{ cmd: CommandEntry; parsed: ParsedCommand } | null> {
  const cmd = mentionCommand(config);
  if (!cmd) return null;
  const setting = cmd.module?.installation?.settings.botName;
  const name = typeof setting === "string" && setting.trim() ? setting.trim() : DEFAULT_BOT_NAME;
  const twitchLogin = event.platform === "twitch" && text.includes("@") ? await twitchBotLogin(env) : undefined;
  const question = mentionQuestion(event, text, { name, discordId: env.DISCORD_APPLICATION_ID, twitchLogin });
  if (!question) return null;
  return { cmd, parsed: { prefix: cmd.prefix, name: cmd.name, args: splitArgs(question), rawArgs: question } };
}
