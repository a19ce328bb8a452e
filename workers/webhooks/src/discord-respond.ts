import type { EventOutcome } from "../../../lib/events/chat-event.ts";
import { log } from "../../../lib/log.ts";
import { discordMessage } from "../../../lib/platforms/deliver.ts";
import { type DiscordMessage, NO_MENTIONS } from "../../../lib/platforms/discord.ts";

/** Interaction response types (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-response-object-interaction-callback-type). */
export const ResponseType = {
  PONG: 1,
  MESSAGE: 4,
  DEFERRED_MESSAGE: 5,
  DEFERRED_UPDATE: 6,
  AUTOCOMPLETE_RESULT: 8,
} as const;

type InteractionResponse = { type: number; data?: DiscordMessage | { choices: unknown[] } };

/**
 * Discord drops an interaction not answered within 3 s. The router gets this long to answer
 * inline; the rest of the 3 s is for the network, cold starts and our own checks.
 */
export const INLINE_BUDGET_MS = 2_000;

const EPHEMERAL = 64;

/** What the user sees when the router had nothing to say. */
function fallbackMessage(outcome: EventOutcome): DiscordMessage {
  const content =
    outcome.status === "rate_limited"
      ? "You're doing that too often. Try again in a moment."
      : outcome.status === "moderated"
        ? "That message was blocked by this server's moderation rules."
        : "Nothing to do for that. Try `/waddlebot command:help`.";
  return { content, flags: EPHEMERAL, allowed_mentions: NO_MENTIONS };
}

export const ephemeral = (content: string): InteractionResponse => ({
  type: ResponseType.MESSAGE,
  data: { content, flags: EPHEMERAL, allowed_mentions: NO_MENTIONS },
});

/**
 * Answers with the router's reply inline (type 4) when it comes within `budgetMs`; otherwise
 * defers (type 5) and hands the late reply to `followUp` in `waitUntil`, which edits the
 * deferred "thinking…" message (PATCH …/messages/@original). A component whose event needs
 * no reply is acknowledged with type 6, leaving its message as it was.
 */
export async function answerWithin(
  outcome: Promise<EventOutcome>,
  opts: {
    budgetMs: number;
    isComponent: boolean;
    followUp: (msg: DiscordMessage) => Promise<unknown>;
    waitUntil: (p: Promise<unknown>) => void;
  },
): Promise<InteractionResponse> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), opts.budgetMs);
  });
  const settled = outcome.then(
    (o) => ({ o }),
    (error: unknown) => ({ error }),
  );
  const first = await Promise.race([settled, late]);
  clearTimeout(timer);

  if (first !== null) {
    if ("error" in first) throw first.error;
    const msg = discordMessage(first.o.replies);
    if (msg) return { type: ResponseType.MESSAGE, data: msg };
    if (opts.isComponent && first.o.status !== "rate_limited") return { type: ResponseType.DEFERRED_UPDATE };
    return { type: ResponseType.MESSAGE, data: fallbackMessage(first.o) };
  }

  opts.waitUntil(
    settled.then(async (r) => {
      try {
        if ("error" in r) throw r.error;
        await opts.followUp(discordMessage(r.o.replies) ?? fallbackMessage(r.o));
      } catch (err) {
        log.error("deferred interaction reply failed", { error: err });
        await opts.followUp({ content: "Sorry, something went wrong." }).catch(() => {});
      }
    }),
  );
  return { type: ResponseType.DEFERRED_MESSAGE };
}
