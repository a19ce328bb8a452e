import { z } from "@hono/zod-openapi";
import { PERMISSION_LEVELS } from "../../../../lib/chat/permission-level.ts";
import { CommunityParams } from "../api.ts";
import { CommandName, ModuleName, ModuleRef } from "./manifest.schema.ts";
import { InstallSecrets } from "./secrets.ts";
import { SettingsValues } from "./settings.schema.ts";

const Cooldown = z.number().int().min(0).max(86_400);

const CommandOverrideInput = z
  .object({
    alias: CommandName.optional(),
    minLevel: z.enum(PERMISSION_LEVELS).optional(),
    globalCooldownSec: Cooldown.optional(),
    userCooldownSec: Cooldown.optional(),
  })
  .strict()
  .openapi("CommandOverride");

export const InstallInput = z
  .object({
    module: ModuleName,
    /** Default: the highest version that is not yanked. */
    version: z.string().max(64).optional(),
    settings: SettingsValues.default({}),
    secrets: InstallSecrets.optional(),
    /** Per module command (its own name): an alias, level or cooldowns. */
    commands: z.record(CommandName, CommandOverrideInput).default({}),
  })
  .strict()
  .openapi("InstallInput");

export const InstallationPatch = z
  .object({
    version: z.string().max(64).optional(),
    enabled: z.boolean().optional(),
    settings: SettingsValues.optional(),
    secrets: InstallSecrets.optional(),
    commands: z.record(CommandName, CommandOverrideInput).optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, "nothing to change")
  .openapi("InstallationPatch");

export const CommandTune = z
  .object({
    minLevel: z.enum(PERMISSION_LEVELS).optional(),
    globalCooldownSec: Cooldown.optional(),
    userCooldownSec: Cooldown.optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, "nothing to change")
  .openapi("CommandTune");

export const InstallationParams = CommunityParams.extend({ module: ModuleRef });
export const CommandParams = InstallationParams.extend({ command: CommandName });

export const Installation = z
  .object({
    id: z.string(),
    module: z.string(),
    displayName: z.string(),
    version: z.string(),
    latestVersion: z.string(),
    enabled: z.boolean(),
    settings: z.record(z.string(), z.unknown()),
    /** Which secret fields are set (never their values). */
    secretsSet: z.array(z.string()),
    commands: z.array(
      z.object({
        command: z.string(),
        name: z.string(),
        prefix: z.string(),
        minLevel: z.string(),
        globalCooldownSec: z.number(),
        userCooldownSec: z.number(),
      }),
    ),
    /** Shown when the installed version was yanked by its author (it keeps running). */
    notice: z.string().nullable(),
    subscription: z.object({ status: z.string(), currentPeriodEnd: z.string().nullable() }).nullable(),
    /** Only in the install answer: a generated webhook secret (shown once) and Checkout for a paid module. */
    webhookSecret: z.string().optional(),
    checkoutUrl: z.string().optional(),
  })
  .openapi("Installation");
