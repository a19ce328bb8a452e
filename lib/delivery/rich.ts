/**
 * Rich messages a module or built-in may send (issue 11): Discord message components (buttons,
 * string select menus) and Slack Block Kit blocks. Validated to the platforms' documented caps,
 * so a message the platform would refuse is refused here with a 4xx-worthy error instead of
 * being queued and dropped later, and a module cannot make the Outbox store megabytes.
 *
 * Discord: https://discord.com/developers/docs/components/reference (≤ 5 action rows; a row holds
 * ≤ 5 buttons or 1 select; custom_id ≤ 100; button label ≤ 80; select options 1–25).
 * Slack: https://docs.slack.dev/reference/block-kit/blocks (≤ 50 blocks; section text ≤ 3000,
 * fields ≤ 10 × 2000; header ≤ 150; actions ≤ 25 elements; button text ≤ 75, action_id ≤ 255,
 * value ≤ 2000, url ≤ 3000).
 */
import * as z from "zod";
import { escapeSlack } from "../platforms/slack.ts";

/** Link targets are web pages: never javascript:, data: or plain http. */
const HttpsUrl = (max: number) =>
  z
    .string()
    .max(max)
    .refine((u) => URL.canParse(u) && new URL(u).protocol === "https:", "must be an https URL");

const CustomId = z.string().min(1).max(100);

const InteractiveButton = z.strictObject({
  type: z.literal(2),
  style: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  label: z.string().min(1).max(80),
  custom_id: CustomId,
  disabled: z.boolean().optional(),
});
const LinkButton = z.strictObject({
  type: z.literal(2),
  style: z.literal(5),
  label: z.string().min(1).max(80),
  url: HttpsUrl(512),
  disabled: z.boolean().optional(),
});
const StringSelect = z
  .strictObject({
    type: z.literal(3),
    custom_id: CustomId,
    placeholder: z.string().max(150).optional(),
    min_values: z.int().min(0).max(25).optional(),
    max_values: z.int().min(1).max(25).optional(),
    disabled: z.boolean().optional(),
    options: z
      .array(
        z.strictObject({
          label: z.string().min(1).max(100),
          value: z.string().min(1).max(100),
          description: z.string().max(100).optional(),
          default: z.boolean().optional(),
        }),
      )
      .min(1)
      .max(25),
  })
  .refine((s) => (s.max_values ?? 1) <= s.options.length && (s.min_values ?? 1) <= (s.max_values ?? 1), {
    message: "min_values ≤ max_values ≤ the number of options",
  });

const ActionRow = z.strictObject({
  type: z.literal(1),
  components: z.union([
    z
      .array(z.union([InteractiveButton, LinkButton]))
      .min(1)
      .max(5),
    z.tuple([StringSelect]),
  ]),
});

/** Discord `components`: up to five action rows; custom_ids unique in the message. */
export const DiscordComponentsSchema = z
  .array(ActionRow)
  .min(1)
  .max(5)
  .refine(
    (rows) => {
      const ids = rows.flatMap((r) => r.components.map((c) => ("custom_id" in c ? c.custom_id : null))).filter(Boolean);
      return new Set(ids).size === ids.length;
    },
    { message: "custom_id values must be unique in a message" },
  );

const PlainText = (max: number) =>
  z.strictObject({ type: z.literal("plain_text"), text: z.string().min(1).max(max), emoji: z.boolean().optional() });
const Text = (max: number) =>
  z.union([PlainText(max), z.strictObject({ type: z.literal("mrkdwn"), text: z.string().min(1).max(max) })]);
const BlockId = z.string().max(255).optional();
const ActionId = z.string().min(1).max(255);

const SlackButton = z.strictObject({
  type: z.literal("button"),
  text: PlainText(75),
  action_id: ActionId,
  value: z.string().max(2000).optional(),
  url: HttpsUrl(3000).optional(),
  style: z.enum(["primary", "danger"]).optional(),
});
const SlackOption = z.strictObject({ text: PlainText(75), value: z.string().min(1).max(150) });
const SlackSelect = z.strictObject({
  type: z.literal("static_select"),
  action_id: ActionId,
  placeholder: PlainText(150).optional(),
  options: z.array(SlackOption).min(1).max(100),
});

const SlackBlock = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("section"),
    block_id: BlockId,
    text: Text(3000).optional(),
    fields: z.array(Text(2000)).min(1).max(10).optional(),
    accessory: z.union([SlackButton, SlackSelect]).optional(),
  }),
  z.strictObject({ type: z.literal("divider"), block_id: BlockId }),
  z.strictObject({ type: z.literal("header"), block_id: BlockId, text: PlainText(150) }),
  z.strictObject({ type: z.literal("context"), block_id: BlockId, elements: z.array(Text(2000)).min(1).max(10) }),
  z.strictObject({
    type: z.literal("actions"),
    block_id: BlockId,
    elements: z
      .array(z.union([SlackButton, SlackSelect]))
      .min(1)
      .max(25),
  }),
]);

/** Slack Block Kit: ≤ 50 blocks, ≤ 16 KiB as JSON (bounds what one queued message may hold). */
const SLACK_BLOCKS_MAX_BYTES = 16 * 1024;
export const SlackBlocksSchema = z
  .array(SlackBlock)
  .min(1)
  .max(50)
  .refine((blocks) => JSON.stringify(blocks).length <= SLACK_BLOCKS_MAX_BYTES, {
    message: `blocks must be at most ${SLACK_BLOCKS_MAX_BYTES} bytes as JSON`,
  })
  .refine((blocks) => blocks.every((b) => b.type !== "section" || b.text || b.fields), {
    message: "a section needs text or fields",
  });
type SlackBlocks = z.infer<typeof SlackBlocksSchema>;

/**
 * The blocks as they leave: every mrkdwn text escaped (`&`, `<`, `>`), so a module's blocks can
 * format but never ping (`<!channel>`, `<@U…>`) — the rule chat text already follows (slack.ts).
 */
export function escapeSlackBlocks(blocks: SlackBlocks): SlackBlocks {
  const fix = <T>(value: T): T => {
    if (Array.isArray(value)) return value.map(fix) as T;
    if (value && typeof value === "object") {
      const o = value as Record<string, unknown>;
      if (o.type === "mrkdwn" && typeof o.text === "string") return { ...o, text: escapeSlack(o.text) } as T;
      return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fix(v)])) as T;
    }
    return value;
  };
  return fix(blocks);
}
