import { z } from "@hono/zod-openapi";
import { PERMISSION_LEVELS } from "../../../../lib/chat/permission-level.ts";
import { COMMAND_KINDS, COMMAND_PREFIXES } from "../../../../lib/db/schema/index.ts";
import { BUILTINS } from "./builtins.ts";
import { COMMAND_NAME } from "./parse.ts";
import { validateTemplate } from "./variables.ts";

const DAY_SEC = 86_400;

/** The fields of a command as the admin API takes them. */
export const CommandFields = z.object({
  name: z
    .string()
    .trim()
    .toLowerCase()
    .regex(COMMAND_NAME, "1–32 characters: letters, digits, _ and -, starting with a letter or digit")
    .openapi({ example: "discord" }),
  prefix: z.enum(COMMAND_PREFIXES).default("!"),
  kind: z.enum(COMMAND_KINDS).default("text"),
  response: z
    .string()
    .max(1_000)
    .nullable()
    .optional()
    .openapi({ example: "Join us at https://discord.gg/x, {user}!" }),
  moduleId: z.uuid().nullable().optional(),
  description: z.string().max(200).default(""),
  minLevel: z.enum(PERMISSION_LEVELS).default("everyone"),
  enabled: z.boolean().default(true),
  disabledChannels: z.array(z.string().min(1).max(64)).max(100).default([]),
  globalCooldownSec: z.number().int().min(0).max(DAY_SEC).default(0),
  userCooldownSec: z.number().int().min(0).max(DAY_SEC).default(0),
});

/** A whole command, cross-checked: a text command's template is valid, a built-in exists, a module is named. */
export const CommandInput = CommandFields.superRefine((c, ctx) => {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (c.kind === "text") {
    if (!c.response) issue("response", "a text command needs a response");
    else for (const p of validateTemplate(c.response)) issue("response", p);
  } else if (c.response) issue("response", `a ${c.kind} command takes no response`);
  if (c.kind === "builtin" && (!BUILTINS[c.name] || c.prefix !== "!")) {
    issue(
      "name",
      `built-ins are ${Object.keys(BUILTINS)
        .map((n) => `!${n}`)
        .join(", ")}`,
    );
  }
  if (c.kind === "module" && !c.moduleId) issue("moduleId", "a module command needs a moduleId");
  if (c.kind !== "module" && c.moduleId) issue("moduleId", `a ${c.kind} command takes no moduleId`);
});
export type CommandInputValue = z.infer<typeof CommandInput>;

export const CommandSchema = z
  .object({
    id: z.string(),
    communityId: z.string().nullable(),
    prefix: z.enum(COMMAND_PREFIXES),
    name: z.string(),
    kind: z.enum(COMMAND_KINDS),
    response: z.string().nullable(),
    moduleId: z.string().nullable(),
    description: z.string(),
    minLevel: z.enum(PERMISSION_LEVELS),
    enabled: z.boolean(),
    disabledChannels: z.array(z.string()),
    globalCooldownSec: z.number(),
    userCooldownSec: z.number(),
    useCount: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Command");

export const CommandParams = z.object({ communityId: z.uuid(), commandId: z.uuid() });
