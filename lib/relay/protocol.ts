import * as z from "zod";
import { hmacSha256Hex } from "../crypto/hmac.ts";
import { ChatEventSchema } from "../events/chat-event.ts";

/**
 * The wire between gateway-relay copies and the RelayCoordinator Durable Object
 * (`GET /relay/connect` on the webhooks worker, a hibernating WebSocket). Both sides parse
 * every frame with these schemas; a frame that does not parse is logged and skipped.
 */

/**
 * What the relay sends to `POST /relay/events`: an already-normalised event (Discord gateway
 * dispatch, Twitch IRC line) without `receivedAt`, which the worker stamps.
 */
export const RelayEventSchema = ChatEventSchema.omit({ receivedAt: true });
export type RelayEvent = z.input<typeof RelayEventSchema>;

/** A Twitch channel a copy joins: the IRC login and the broadcaster id events are filed under. */
export const TwitchChannelSchema = z.object({
  login: z.string().regex(/^[a-z0-9_]{1,25}$/),
  broadcasterId: z.string().min(1).max(64),
});
export type TwitchChannel = z.infer<typeof TwitchChannelSchema>;

/** What one copy holds: Discord shards (of shardCount) and Twitch channels. */
export const AssignmentSchema = z.object({
  type: z.literal("assignment"),
  version: z.number().int().nonnegative(),
  discord: z.object({ shardCount: z.number().int().positive(), shardIds: z.array(z.number().int().nonnegative()) }),
  twitch: z.object({
    channels: z.array(TwitchChannelSchema),
    /** The instance's bot account (lib/platforms/twitch-bot.ts); null: read-only anonymous IRC. */
    credential: z.object({ login: z.string(), accessToken: z.string() }).nullable(),
  }),
});
export type Assignment = z.infer<typeof AssignmentSchema>;

/**
 * Copy → coordinator. `applied`: what the copy now holds (make-before-break on moves);
 * `credential_rejected`: ask for a fresh bot token (the coordinator holds the refresh token).
 */
export const CopyMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("heartbeat") }),
  z.object({
    type: z.literal("applied"),
    version: z.number().int().nonnegative(),
    shardIds: z.array(z.number().int().nonnegative()).max(4096),
    channels: z.array(z.string().max(25)).max(100_000),
  }),
  /** Twitch IRC refused the bot's login with this token (its SHA-256 hex: the token never travels back). */
  z.object({ type: z.literal("credential_rejected"), token: z.string().regex(/^[0-9a-f]{64}$/) }),
]);

export const COPY_HEADER = "x-relay-copy";

/** Copy ids are chosen by the copy (host name + random): short and printable. */
export const CopyIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/);

/** What `/relay/connect` signs: the copy id (there is no body), as `{timestamp}.connect:{copy}`. */
export const connectBody = (copyId: string) => `connect:${copyId}`;

/** Headers for `/relay/events` and `/relay/connect`: HMAC-SHA256 over `{timestamp}.{body}`. */
export async function relaySignature(secret: string, body: string, nowMs = Date.now()) {
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    "x-relay-timestamp": timestamp,
    "x-relay-signature": `sha256=${await hmacSha256Hex(secret, `${timestamp}.${body}`)}`,
  };
}
