import { log } from "../../../../lib/log.ts";
import { dry, type FirstPartyModule, label, MAX_TEXT, PLATFORM_LIMIT, say, tooLong } from "../kit.ts";
import { manifest } from "./manifest.ts";
import { AiUnavailable, complete } from "./provider.ts";

/** Questions a community may ask per UTC day, whatever the tokens (a flood guard). */
const MAX_CALLS_PER_DAY = 500;

const num = (v: unknown, fallback: number, min: number, max: number) =>
  typeof v === "number" && Number.isInteger(v) && v >= min && v <= max ? v : fallback;

export const ai: FirstPartyModule = {
  manifest,
  async command({ env, call, now }) {
    const question = call.command!.rawArgs.trim();
    if (!question) return say(call, `Usage: ${label(call)} <question>`);
    if (question.length > MAX_TEXT) return tooLong(call, "That question");
    if (call.simulated) return dry(call);
    const budget = num(call.settings.dailyTokens, 20_000, 100, 1_000_000);
    const cooldownMs = num(call.settings.userCooldownSec, 30, 0, 3600) * 1000;
    const day = `day:${new Date(now).toISOString().slice(0, 10)}`;
    const asker = `user:${call.platform}:${call.user.id}`;
    // Claims the asker's turn and the community's call in one batch: the asker's row moves only
    // past the cooldown, the day's only under its limits, so concurrent questions cannot overrun.
    const [mine, today] = await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO ai_usage (community_id, key, tokens, calls, last_at) VALUES (?1, ?2, 0, 1, ?3)
         ON CONFLICT (community_id, key) DO UPDATE SET calls = calls + 1, last_at = ?3 WHERE last_at <= ?3 - ?4 RETURNING calls`,
      ).bind(call.communityId, asker, now, cooldownMs),
      env.DB.prepare(
        `INSERT INTO ai_usage (community_id, key, tokens, calls, last_at) SELECT ?1, ?2, 0, 1, ?3 WHERE changes() = 1
         ON CONFLICT (community_id, key) DO UPDATE SET calls = calls + 1, last_at = ?3 WHERE tokens < ?4 AND calls < ?5 RETURNING calls`,
      ).bind(call.communityId, day, now, budget, MAX_CALLS_PER_DAY),
    ]);
    if ((mine?.results.length ?? 0) === 0) return say(call, `One question every ${cooldownMs / 1000} seconds, please.`);
    if ((today?.results.length ?? 0) === 0)
      return say(call, "The AI has used up today's budget here; try again tomorrow.");
    const limit = PLATFORM_LIMIT[call.platform];
    try {
      const system =
        typeof call.settings.systemPrompt === "string" && call.settings.systemPrompt
          ? call.settings.systemPrompt
          : "Answer briefly.";
      const answer = await complete(env, system, question, Math.min(400, Math.max(16, budget)));
      await env.DB.prepare("UPDATE ai_usage SET tokens = tokens + ? WHERE community_id = ? AND key = ?")
        .bind(answer.tokens, call.communityId, day)
        .run();
      if (!answer.text) return say(call, "The AI had nothing to say.");
      // Cut to the platform's message length (Twitch 500), on a word where possible.
      const text =
        answer.text.length > limit ? `${answer.text.slice(0, limit - 1).replace(/\s+\S*$/, "")}…` : answer.text;
      return say(call, text);
    } catch (err) {
      log.warn("ai answer failed", { error: err instanceof AiUnavailable ? err.message : String(err) });
      return say(call, "The AI is not available right now.");
    }
  },
};
