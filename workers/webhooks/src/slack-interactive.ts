import * as z from "zod";
import { type ChatEvent, ChatEventSchema } from "../../../lib/events/chat-event.ts";

const sid = z.string().max(64);

const SlashCommandSchema = z.object({
  command: z.string().min(2).max(64),
  text: z.string().max(4000).default(""),
  team_id: sid.min(1),
  channel_id: sid,
  channel_name: z.string().max(100).optional(),
  user_id: sid.min(1),
  user_name: z.string().max(100).default(""),
  response_url: z.url().max(1000),
  trigger_id: z.string().min(1).max(200),
});

/** `/waddlebot <command> [args]` reads as `!<command> [args]`; another command `/x a` as `!x a`. */
export function slashCommandToChatEvent(form: Record<string, string>, receivedAt = new Date()): ChatEvent {
  const f = SlashCommandSchema.parse(form);
  const text =
    f.command === "/waddlebot"
      ? `!${f.text.trim().replace(/^!+/, "") || "help"}`
      : `!${f.command.slice(1)} ${f.text}`.trim();
  return ChatEventSchema.parse({
    id: f.trigger_id,
    platform: "slack",
    type: "slash_command",
    communityPlatformId: f.team_id,
    channel: { id: f.channel_id, name: f.channel_name },
    user: { id: f.user_id, username: f.user_name },
    text: text.slice(0, 4000),
    data: { command: f.command },
    reply: { kind: "slack", channelId: f.channel_id, responseUrl: f.response_url },
    receivedAt: receivedAt.toISOString(),
  });
}

const InteractionUser = z.looseObject({ id: sid.min(1), username: z.string().max(100).optional() });
const BlockActionsSchema = z.object({
  type: z.literal("block_actions"),
  team: z.looseObject({ id: sid.min(1) }),
  user: InteractionUser,
  channel: z.looseObject({ id: sid, name: z.string().max(100).optional() }).optional(),
  trigger_id: z.string().min(1).max(200),
  response_url: z.url().max(1000).optional(),
  actions: z
    .array(
      z.looseObject({
        action_id: z.string().max(255),
        block_id: z.string().max(255).optional(),
        value: z.string().max(2000).optional(),
        selected_option: z.looseObject({ value: z.string().max(2000) }).nullish(),
      }),
    )
    .min(1)
    .max(25),
});
const ViewSubmissionSchema = z.object({
  type: z.literal("view_submission"),
  team: z.looseObject({ id: sid.min(1) }),
  user: InteractionUser,
  trigger_id: z.string().min(1).max(200),
  view: z.looseObject({
    id: sid,
    callback_id: z.string().max(255).default(""),
    state: z
      .object({
        values: z.record(
          z.string(),
          z.record(
            z.string(),
            z.looseObject({
              value: z.string().max(4000).nullish(),
              selected_option: z.looseObject({ value: z.string().max(2000) }).nullish(),
            }),
          ),
        ),
      })
      .default({ values: {} }),
  }),
  response_urls: z
    .array(z.looseObject({ response_url: z.url().max(1000) }))
    .max(10)
    .default([]),
});
const InteractivePayloadSchema = z.discriminatedUnion("type", [BlockActionsSchema, ViewSubmissionSchema]);

/**
 * A block_actions (button, select) or view_submission (modal) payload as a ChatEvent. Action
 * ids and values are whatever the message's author put there: untrusted, bounded input.
 */
export function interactionToChatEvent(payload: unknown, receivedAt = new Date()): ChatEvent {
  const p = InteractivePayloadSchema.parse(payload);
  const user = { id: p.user.id, username: p.user.username ?? p.user.id };
  if (p.type === "block_actions") {
    const channelId = p.channel?.id ?? "";
    return ChatEventSchema.parse({
      id: p.trigger_id,
      platform: "slack",
      type: "component",
      communityPlatformId: p.team.id,
      channel: { id: channelId, name: p.channel?.name },
      user,
      data: {
        actions: p.actions.map((a) => ({
          actionId: a.action_id,
          blockId: a.block_id,
          value: a.value ?? a.selected_option?.value,
        })),
      },
      reply: { kind: "slack", channelId, ...(p.response_url ? { responseUrl: p.response_url } : {}) },
      receivedAt: receivedAt.toISOString(),
    });
  }
  const fields: Record<string, string> = {};
  for (const block of Object.values(p.view.state.values)) {
    for (const [actionId, input] of Object.entries(block)) {
      fields[actionId] = input.value ?? input.selected_option?.value ?? "";
    }
  }
  const responseUrl = p.response_urls[0]?.response_url;
  return ChatEventSchema.parse({
    id: p.trigger_id,
    platform: "slack",
    type: "modal_submit",
    communityPlatformId: p.team.id,
    channel: { id: user.id },
    user,
    data: { callbackId: p.view.callback_id, viewId: p.view.id, fields },
    // A modal has no channel: the reply goes to its response_url if it asked for one, else as a DM.
    reply: { kind: "slack", channelId: user.id, ...(responseUrl ? { responseUrl } : {}) },
    receivedAt: receivedAt.toISOString(),
  });
}
