// The single source of the tables. `npm run db:generate` turns changes here into SQL in migrations/.
export * from "./api-keys.ts";
export * from "./audit.ts";
export * from "./columns.ts";
export * from "./commands.ts";
export * from "./communities.ts";
export * from "./first-party.ts";
export * from "./identity.ts";
export * from "./ingress.ts";
export * from "./marketplace.ts";
export * from "./moderation.ts";
export * from "./modules.ts";
export * from "./onboarding.ts";
export * from "./overlays.ts";
export * from "./users.ts";
