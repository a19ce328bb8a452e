import { z } from "@hono/zod-openapi";
import semver from "semver";
import { PERMISSION_LEVELS } from "../../../../lib/chat/permission-level.ts";
import { EVENT_TYPES } from "../../../../lib/events/chat-event.ts";
import { BuiltinConfig, LambdaConfig, OpenWhiskConfig, WebhookConfig } from "../modules/config.ts";
import { SettingsSchema } from "./settings.schema.ts";

/** Lowercase, globally unique (the namespace is shared with communities' own modules). */
export const ModuleName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,47}$/, "2–48 of a-z 0-9 -, starting with a letter (lowercase)");
/** A module named in a path: also the older names of communities' own modules (with `_`). */
export const ModuleRef = z.string().regex(/^[a-z0-9][a-z0-9_-]{1,47}$/, "a module name");
export const CommandName = z.string().regex(/^[a-z0-9_-]{1,32}$/, "1–32 of a-z 0-9 _ -");
const Cooldown = z.number().int().min(0).max(86_400).default(0);
const HttpsUrl = z.url({ protocol: /^https$/ }).max(500);

/** What a module may ask for; shown to the community before it installs. */
const MODULE_PERMISSIONS = ["chat:write", "overlay:write", "sessions", "events:read"] as const;

export const CommandSpec = z
  .object({
    name: CommandName,
    description: z.string().max(200).default(""),
    arguments: z
      .array(
        z.object({
          name: z.string().regex(/^[a-z0-9_-]{1,32}$/),
          description: z.string().max(200).default(""),
          required: z.boolean().default(false),
        }),
      )
      .max(10)
      .default([]),
    minLevel: z.enum(PERMISSION_LEVELS).default("everyone"),
    globalCooldownSec: Cooldown,
    userCooldownSec: Cooldown,
  })
  .openapi("ModuleCommandSpec");

/**
 * The engine a version runs on, without secrets: those are each installation's own (the
 * webhook's HMAC key, AWS keys, OpenWhisk credentials), so one published version can be
 * installed by many communities.
 */
const VersionEngine = z.discriminatedUnion("engine", [
  z.object({ engine: z.literal("webhook"), config: WebhookConfig.omit({ secret: true }) }),
  z.object({
    engine: z.literal("lambda"),
    config: LambdaConfig.omit({ accessKeyId: true, secretAccessKey: true, sessionToken: true }),
  }),
  z.object({ engine: z.literal("openwhisk"), config: OpenWhiskConfig.omit({ auth: true }) }),
  z.object({ engine: z.literal("builtin"), config: BuiltinConfig }),
]);

const Price = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("free") }),
    z.object({
      type: z.literal("monthly"),
      /** In the currency's minor unit (cents). Stripe's minimum charge is about 50. */
      amount: z.number().int().min(50).max(1_000_000),
      currency: z
        .string()
        .regex(/^[a-z]{3}$/)
        .default("usd"),
    }),
  ])
  .default({ type: "free" })
  .openapi("ModulePrice");

export const VersionManifest = z
  .object({
    version: z
      .string()
      .max(64)
      .refine((v) => semver.valid(v) === v, "a semver version such as 1.2.3"),
    commands: z
      .array(CommandSpec)
      .max(20)
      .default([])
      .refine((cs) => new Set(cs.map((c) => c.name)).size === cs.length, "command names must be unique"),
    events: z.array(z.enum(EVENT_TYPES)).max(20).default([]),
    settings: SettingsSchema,
    permissions: z.array(z.enum(MODULE_PERMISSIONS)).max(MODULE_PERMISSIONS.length).default([]),
    price: Price,
    priority: z.number().int().min(0).max(1000).default(100),
    parallel: z.boolean().default(false),
  })
  .and(VersionEngine)
  .openapi("ModuleVersionManifest");
export type VersionManifest = z.infer<typeof VersionManifest>;

const Category = z
  .string()
  .regex(/^[a-z0-9-]{1,32}(\/[a-z0-9-]{1,32}){0,3}$/, "a path of up to 4 lowercase parts, e.g. games/trivia");
const Label = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9 _-]{0,31}$/, "1–32 of a-z 0-9 space _ -");

/** POST /api/v1/marketplace/modules: the module and its first version. */
export const ModuleManifest = z
  .object({
    name: ModuleName,
    displayName: z.string().trim().min(1).max(80),
    description: z.string().max(2000).default(""),
    categories: z.array(Category).max(5).default([]),
    labels: z
      .array(Label)
      .max(10)
      .default([])
      .transform((ls) => [...new Set(ls)]),
    homepage: HttpsUrl.optional(),
    iconUrl: HttpsUrl.optional(),
    version: VersionManifest,
  })
  .openapi("ModuleManifest");
export type ModuleManifest = z.infer<typeof ModuleManifest>;
