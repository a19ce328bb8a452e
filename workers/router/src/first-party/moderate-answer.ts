import type { BotReply } from "../../../../lib/events/chat-event.ts";
import type { ModuleDef } from "../modules/config.ts";
import type { RouterConfig } from "../router-config.ts";

/** First-party modules whose chat answers are generated text, held to the community's rules. */
const GENERATED = new Set(["ai"]);

const WITHHELD = "The AI's answer was withheld by this community's moderation rules.";

/**
 * The community's moderation rules applied to a generated answer before it is posted: an answer
 * that any rule's pattern or filter matches is replaced by a notice (no strike, no action: the
 * bot wrote it, not the user). The repeat filter needs a history and does not apply.
 */
export function moderateAnswer(config: RouterConfig, mod: ModuleDef | null, replies: BotReply[]): BotReply[] {
  if (!mod?.installation || mod.engine !== "builtin" || !GENERATED.has(mod.name) || config.moderation.length === 0)
    return replies;
  return replies.map((r) =>
    r.type === "chat" && config.moderation.some((rule) => rule.match?.(r.text)) ? { type: "chat", text: WITHHELD } : r,
  );
}
