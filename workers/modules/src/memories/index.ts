import { schedulerFor } from "../env.ts";
import { dry, type FirstPartyModule, label, MAX_TEXT, parseDuration, say, tooLong } from "../kit.ts";
import { entryCommand } from "./entries.ts";
import { manifest } from "./manifest.ts";
import { quoteCommand } from "./quotes.ts";

const MIN_REMIND_MS = 60_000;
const MAX_REMIND_MS = 7 * 86_400_000;

export const memories: FirstPartyModule = {
  manifest,
  async command(ctx) {
    const { call, env, now } = ctx;
    const cmd = call.command!;
    if (cmd.name === "quote") return quoteCommand(ctx);
    if (cmd.name === "url" || cmd.name === "note") return entryCommand(ctx, cmd.name);
    // !remind <duration> <text>
    const ms = parseDuration(cmd.args[0], MIN_REMIND_MS, MAX_REMIND_MS);
    const text = cmd.args.slice(1).join(" ").trim();
    if (ms === null || !text) return say(call, `Usage: ${label(call)} <duration from 1m to 7d, e.g. 10m> <text>`);
    if (text.length > MAX_TEXT) return tooLong(call, "That reminder");
    if (call.simulated) return dry(call);
    const who = call.user.displayName || call.user.username;
    const ok = await schedulerFor(env, call.communityId).remind({
      id: crypto.randomUUID(),
      target: { communityId: call.communityId, platform: call.platform, channelId: call.channel.id },
      text: `⏰ ${who}: ${text}`,
      dueAt: now + ms,
    });
    return say(
      call,
      ok ? `OK ${who}, I will remind you in ${cmd.args[0]}.` : "Too many reminders are pending here; try later.",
    );
  },
};
