/**
 * What the portal changes in the first-party modules' data (quotes, inventory, counters, timers,
 * giveaways), carried over the MODULES binding as one `manage(communityId, op)` call. The router's
 * API validates the request with these schemas and the modules worker validates the op again where
 * it is read; a refusal the data decides (no such quote, not enough items, a giveaway already
 * open) comes back as `{ ok: false, status, message }`, which the API answers as that 4xx.
 */
import * as z from "zod";

/** Names users give things (counters, timers, keywords, items): as the chat commands accept them. */
export const ModuleName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_-]{1,32}$/, "1-32 of a-z 0-9 _ -");
/** Longest text a user may store (a quote, a timer message), as in chat. */
const ModuleText = z.string().trim().min(1, "must not be empty").max(300, "300 characters at most");
/** An inventory owner: the community's own stock, or `<platform>:<lowercase username>`. */
const InventoryOwner = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(community|(discord|twitch|slack):[^\s:@]{1,100})$/, "community, or platform:username");

export const QuoteEdit = z.object({ text: ModuleText });
export const InventoryChange = z.object({
  owner: InventoryOwner,
  item: ModuleName,
  /** Added when positive, taken away when negative. */
  quantity: z
    .number()
    .int()
    .min(-1_000_000)
    .max(1_000_000)
    .refine((n) => n !== 0, "must not be 0"),
});
export const CounterSet = z.object({ value: z.number().int().min(-1_000_000_000).max(1_000_000_000) });
export const TimerSave = z.object({
  platform: z.enum(["discord", "twitch", "slack"]),
  channelId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, "a channel id"),
  message: ModuleText,
  intervalMin: z.number().int().min(1).max(1440),
  minLines: z.number().int().min(0).max(1000),
});
export const GiveawayStart = z.object({
  keyword: ModuleName,
  minutes: z.number().int().min(1).max(1440),
  /** Entries a subscriber gets (1 = no luck). */
  subscriberLuck: z.number().int().min(1).max(10).default(1),
});

export const ManageOpSchema = z.discriminatedUnion("op", [
  z.object({ op: z.literal("quote.edit"), number: z.number().int().min(1), ...QuoteEdit.shape }),
  z.object({ op: z.literal("inventory.change"), ...InventoryChange.shape }),
  z.object({ op: z.literal("counter.set"), name: ModuleName, ...CounterSet.shape }),
  z.object({ op: z.literal("timer.save"), name: ModuleName, ...TimerSave.shape }),
  z.object({ op: z.literal("timer.remove"), name: ModuleName }),
  z.object({ op: z.literal("giveaway.start"), ...GiveawayStart.shape, startedBy: z.string().max(200) }),
  z.object({ op: z.literal("giveaway.draw"), redraw: z.boolean() }),
]);
export type ManageOp = z.input<typeof ManageOpSchema>;

/**
 * `from` and `to` are what the audit trail records of the change; `overlay`, a card the router
 * shows on the community's general overlay (a portal draw's winner, as a chat draw shows it).
 */
export type ManageResult =
  | { ok: true; from: unknown; to: unknown; message: string; overlay?: { title: string; html: string } }
  | { ok: false; status: 400 | 404 | 409; message: string };
