import { integer, text } from "drizzle-orm/sqlite-core";

/** Primary keys are random UUIDs made in the worker, so inserts never need a round trip. */
export const id = () =>
  text("id")
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID());

/** Milliseconds since the epoch; D1 has no timestamp type. */
export const createdAt = (name = "created_at") =>
  integer(name, { mode: "timestamp_ms" })
    .notNull()
    .$defaultFn(() => new Date());

export const updatedAt = () =>
  integer("updated_at", { mode: "timestamp_ms" })
    .notNull()
    .$defaultFn(() => new Date())
    .$onUpdateFn(() => new Date());

export const PLATFORMS = ["discord", "twitch", "slack"] as const;
export type Platform = (typeof PLATFORMS)[number];
