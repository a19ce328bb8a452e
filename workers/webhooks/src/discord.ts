import { enforceActions } from "../../../lib/events/enforce.ts";
import { parseJson, readLimitedBody } from "../../../lib/http/body.ts";
import { editOriginalResponse } from "../../../lib/platforms/discord.ts";
import { released } from "../../../lib/rpc.ts";
import { firstDelivery, forgetDelivery } from "./dedupe.ts";
import { focusedValue, InteractionSchema, InteractionType, toChatEvent } from "./discord-interaction.ts";
import { answerWithin, ephemeral, INLINE_BUDGET_MS, ResponseType } from "./discord-respond.ts";
import { resolveOrRecord, route } from "./ingest.ts";
import { postOnly } from "./post-only.ts";
import { verifyDiscord } from "./verify.ts";

/** Interactions carry resolved users, members and attachments: more room than other platforms. */
const DISCORD_BODY_LIMIT = 256 * 1024;

/** Discord shows at most 25 autocomplete choices. */
const MAX_CHOICES = 25;

/** `POST /discord/interactions`: the interactions endpoint Discord calls. */
export const discord = postOnly("/interactions");

discord.post("/interactions", async (c) => {
  const body = await readLimitedBody(c.req.raw, DISCORD_BODY_LIMIT);
  await verifyDiscord(c.env.DISCORD_PUBLIC_KEY, c.req.raw.headers, body);
  const interaction = InteractionSchema.parse(parseJson(body));

  if (interaction.type === InteractionType.PING) return c.json({ type: ResponseType.PONG });

  if (interaction.type === InteractionType.AUTOCOMPLETE) {
    const typed = focusedValue(interaction).trim().replace(/^!+/, "").split(/\s+/)[0]?.toLowerCase() ?? "";
    const commands = interaction.guild_id
      ? released(await c.env.ROUTER.listCommands({ platform: "discord", platformId: interaction.guild_id }))
      : [];
    const choices = commands
      .filter((cmd) => cmd.name.toLowerCase().startsWith(typed))
      .slice(0, MAX_CHOICES)
      .map((cmd) => ({ name: `${cmd.name} — ${cmd.description}`.slice(0, 100), value: cmd.name.slice(0, 100) }));
    return c.json({ type: ResponseType.AUTOCOMPLETE_RESULT, data: { choices } });
  }

  const known: number[] = [InteractionType.COMMAND, InteractionType.COMPONENT, InteractionType.MODAL_SUBMIT];
  if (!known.includes(interaction.type)) return c.json(ephemeral("This interaction is not supported."));
  if (!interaction.guild_id) return c.json(ephemeral("Use WaddleBot's commands in a server."));

  const event = toChatEvent(interaction);
  // Discord does not retry interactions, but a captured request replayed inside the
  // timestamp window must not run the command twice.
  if (!(await firstDelivery(c.env, "discord", interaction.id))) return c.json(ephemeral("Already handled."));
  try {
    const community = await resolveOrRecord(c.env, event);
    if (!community) return c.json(ephemeral("This server is not connected to WaddleBot yet."));
    const reply = event.reply.kind === "discord_interaction" ? event.reply : undefined;
    const outcome = route(c.env, event, community.id);
    // Moderation actions (an interaction has no message to delete, but timeout and ban apply)
    // run after the answer, never inside Discord's 3 s; answerWithin reports a routing failure.
    c.executionCtx.waitUntil(outcome.then((o) => enforceActions(c.env, event, o, community.id)).catch(() => {}));
    const response = await answerWithin(outcome, {
      budgetMs: INLINE_BUDGET_MS,
      isComponent: interaction.type === InteractionType.COMPONENT,
      followUp: (msg) => editOriginalResponse(c.env, reply!.applicationId, reply!.token, msg),
      waitUntil: (p) => c.executionCtx.waitUntil(p),
    });
    return c.json(response);
  } catch (err) {
    await forgetDelivery(c.env, "discord", interaction.id);
    throw err;
  }
});
