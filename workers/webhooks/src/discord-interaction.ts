import * as z from "zod";
import { type ChatEvent, ChatEventSchema, type ChatUser } from "../../../lib/events/chat-event.ts";

/** Interaction types (https://discord.com/developers/docs/interactions/receiving-and-responding). */
export const InteractionType = { PING: 1, COMMAND: 2, COMPONENT: 3, AUTOCOMPLETE: 4, MODAL_SUBMIT: 5 } as const;

const UserSchema = z.object({
  id: z.string().min(1).max(64),
  username: z.string().max(100),
  global_name: z.string().max(100).nullish(),
});

type Option = { name: string; type: number; value?: string | number | boolean; focused?: boolean; options?: Option[] };
const OptionSchema: z.ZodType<Option> = z.lazy(() =>
  z.object({
    name: z.string().max(100),
    type: z.number().int(),
    value: z.union([z.string().max(6000), z.number(), z.boolean()]).optional(),
    focused: z.boolean().optional(),
    options: z.array(OptionSchema).max(25).optional(),
  }),
);

export const InteractionSchema = z.object({
  id: z.string().min(1).max(64),
  application_id: z.string().min(1).max(64),
  type: z.number().int(),
  token: z.string().max(1000).optional(),
  guild_id: z.string().max(64).optional(),
  channel_id: z.string().max(64).optional(),
  channel: z
    .object({ id: z.string().max(64), name: z.string().max(100).nullish() })
    .partial()
    .optional(),
  member: z
    .object({
      user: UserSchema,
      roles: z.array(z.string().max(64)).max(250).default([]),
      permissions: z
        .string()
        .regex(/^\d{1,30}$/)
        .optional(),
      nick: z.string().max(100).nullish(),
    })
    .optional(),
  user: UserSchema.optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
type Interaction = z.infer<typeof InteractionSchema>;

const CommandData = z.object({ name: z.string().min(1).max(32), options: z.array(OptionSchema).max(25).default([]) });
// custom_id is whatever a message's author put there: untrusted input, bounded like Discord bounds it.
const ComponentData = z.object({
  custom_id: z.string().min(1).max(100),
  component_type: z.number().int(),
  values: z.array(z.string().max(100)).max(25).optional(),
});
const ModalData = z.object({
  custom_id: z.string().min(1).max(100),
  components: z
    .array(
      z.object({
        components: z
          .array(z.object({ custom_id: z.string().max(100), value: z.string().max(4000).optional() }))
          .max(5)
          .default([]),
      }),
    )
    .max(5)
    .default([]),
});

// Permission bits (https://discord.com/developers/docs/topics/permissions).
const ADMINISTRATOR = 1n << 3n;
const MANAGE_MESSAGES = 1n << 13n;
const MODERATE_MEMBERS = 1n << 40n;

/** The member's facts as a ChatUser; the guild owner cannot be known without an API call. */
function chatUser(i: Interaction): ChatUser {
  const u = i.member?.user ?? i.user;
  if (!u) return { id: "unknown", username: "unknown", roles: [], badges: [] };
  const perms = i.member?.permissions ? BigInt(i.member.permissions) : 0n;
  const isAdmin = (perms & ADMINISTRATOR) !== 0n;
  return {
    id: u.id,
    username: u.username,
    displayName: i.member?.nick ?? u.global_name ?? undefined,
    roles: i.member?.roles ?? [],
    badges: [],
    isAdmin,
    isModerator: isAdmin || (perms & MANAGE_MESSAGES) !== 0n || (perms & MODERATE_MEMBERS) !== 0n,
  };
}

const flatValues = (options: Option[]): string[] =>
  options.flatMap((o) =>
    o.options ? [o.name, ...flatValues(o.options)] : o.value === undefined ? [] : [String(o.value)],
  );

/**
 * `/waddlebot command:<text>` reads as the chat line `!<text>`, so the router parses it like
 * chat; any other slash command `/name a b` reads as `!name a b`.
 */
function commandText(data: z.infer<typeof CommandData>): string {
  if (data.name === "waddlebot") {
    const given = data.options.find((o) => o.name === "command")?.value;
    return `!${String(given ?? "help")
      .trim()
      .replace(/^!+/, "")}`.slice(0, 4000);
  }
  return [`!${data.name}`, ...flatValues(data.options)].join(" ").slice(0, 4000);
}

/** The text typed so far in an autocomplete's focused option. */
export function focusedValue(i: Interaction): string {
  const data = CommandData.safeParse(i.data);
  const find = (options: Option[]): Option | undefined =>
    options.find((o) => o.focused) ?? options.flatMap((o) => (o.options ? [find(o.options)] : [])).find(Boolean);
  const v = data.success ? find(data.data.options)?.value : undefined;
  return String(v ?? "");
}

/** A command, component or modal interaction as a ChatEvent (throws a ZodError → 400 if malformed). */
export function toChatEvent(i: Interaction, receivedAt = new Date()): ChatEvent {
  const base = {
    id: i.id,
    platform: "discord" as const,
    communityPlatformId: i.guild_id ?? "",
    channel: { id: i.channel_id ?? i.channel?.id ?? "", name: i.channel?.name ?? undefined },
    user: chatUser(i),
    reply: {
      kind: "discord_interaction" as const,
      applicationId: i.application_id,
      interactionId: i.id,
      token: i.token ?? "",
    },
    receivedAt: receivedAt.toISOString(),
  };
  if (i.type === InteractionType.COMMAND) {
    const data = CommandData.parse(i.data);
    return ChatEventSchema.parse({
      ...base,
      type: "slash_command",
      text: commandText(data),
      data: { command: data.name },
    });
  }
  if (i.type === InteractionType.COMPONENT) {
    const data = ComponentData.parse(i.data);
    return ChatEventSchema.parse({
      ...base,
      type: "component",
      data: { customId: data.custom_id, componentType: data.component_type, values: data.values ?? [] },
    });
  }
  const data = ModalData.parse(i.data);
  const fields = Object.fromEntries(
    data.components.flatMap((row) => row.components.map((f) => [f.custom_id, f.value ?? ""])),
  );
  return ChatEventSchema.parse({ ...base, type: "modal_submit", data: { customId: data.custom_id, fields } });
}
