import { toHex, utf8 } from "../../../lib/crypto/encoding.ts";
import type { Env } from "./env.ts";

/** Twitch retries for up to ~10 minutes, Slack for ~5; ids are kept well past both. */
const DEDUPE_TTL_MS = 30 * 60_000;

export type DeliverySource = "discord" | "twitch" | "slack" | "relay";

// One object per source and first two hex chars of the id's hash: 256 shards per platform,
// so no single Deduplicator is hot, and a retry always lands on the same shard.
async function shard(env: Env, source: DeliverySource, id: string) {
  const hash = toHex(await crypto.subtle.digest("SHA-256", utf8(id)));
  return env.DEDUPE.get(env.DEDUPE.idFromName(`${source}:${hash.slice(0, 2)}`));
}

/** A delivery's key: the deduplicator's entry, and the queue consumer's marks. */
export const deliveryKey = (source: DeliverySource, id: string) => `${source}:${id}`;

/** True the first time a delivery id arrives; false for every retry or replay of it. */
export async function firstDelivery(env: Env, source: DeliverySource, id: string): Promise<boolean> {
  return (await shard(env, source, id)).firstSeen(deliveryKey(source, id), DEDUPE_TTL_MS);
}

/** Forgets a delivery whose processing failed before it was acknowledged, so the retry runs. */
export async function forgetDelivery(env: Env, source: DeliverySource, id: string): Promise<void> {
  await (await shard(env, source, id)).forget(deliveryKey(source, id));
}
