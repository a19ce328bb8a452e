// The first-party modules' own tables, one file per module; exported into the shared schema
// (lib/db/schema/first-party.ts) so drizzle-kit generates their migrations with the rest.
export * from "./ai/schema.ts";
export * from "./alias/schema.ts";
export * from "./calendar/schema.ts";
export * from "./counters/schema.ts";
export * from "./giveaways/schema.ts";
export * from "./inventory/schema.ts";
export * from "./loyalty/schema.ts";
export * from "./memories/schema.ts";
export * from "./shoutout/schema.ts";
export * from "./spotify/schema.ts";
export * from "./timers/schema.ts";
export * from "./youtube-music/schema.ts";
