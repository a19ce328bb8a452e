import { Validator } from "@cfworker/json-schema";
import { z } from "@hono/zod-openapi";

const common = {
  title: z.string().max(80).optional(),
  description: z.string().max(300).optional(),
};

/**
 * The JSON-schema subset a module's install settings are written in: a flat object of
 * strings, numbers, integers and booleans, with enum, bounds and `required` — what the portal
 * can render as a form. No `pattern`: an author's regular expression would run in the worker on
 * a community's input.
 */
const SettingProperty = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("string"),
      ...common,
      default: z.string().max(1000).optional(),
      enum: z.array(z.string().max(200)).min(1).max(50).optional(),
      minLength: z.number().int().min(0).max(1000).optional(),
      maxLength: z.number().int().min(1).max(1000).optional(),
      format: z.enum(["uri", "email"]).optional(),
    })
    .strict(),
  z
    .object({
      type: z.enum(["number", "integer"]),
      ...common,
      default: z.number().optional(),
      minimum: z.number().optional(),
      maximum: z.number().optional(),
    })
    .strict(),
  z.object({ type: z.literal("boolean"), ...common, default: z.boolean().optional() }).strict(),
]);

export const SettingsSchema = z
  .object({
    type: z.literal("object").default("object"),
    properties: z
      .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/), SettingProperty)
      .default({})
      .refine((p) => Object.keys(p).length <= 30, "at most 30 settings"),
    required: z.array(z.string()).max(30).default([]),
  })
  .strict()
  .default({ type: "object", properties: {}, required: [] })
  .refine((s) => s.required.every((r) => r in s.properties), "every required setting must be a property")
  .openapi("ModuleSettingsSchema");
export type SettingsSchema = z.infer<typeof SettingsSchema>;

/** Settings as a community sends them: a flat object of scalars, validated against the schema below. */
export const SettingsValues = z.record(z.string().max(40), z.union([z.string().max(1000), z.number(), z.boolean()]));

/**
 * Validates install settings against a version's schema (with @cfworker/json-schema, which
 * runs in Workers without eval); unknown keys are refused. Returns the values with defaults
 * filled, or the issues in zod's shape for a 400.
 */
export function checkSettings(
  schema: Record<string, unknown>,
  values: Record<string, unknown>,
): { ok: true; values: Record<string, unknown> } | { ok: false; issues: { path: string[]; message: string }[] } {
  const parsed = SettingsSchema.parse(schema);
  const withDefaults: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(parsed.properties)) if (p.default !== undefined) withDefaults[k] = p.default;
  Object.assign(withDefaults, values);
  const result = new Validator({ ...parsed, additionalProperties: false }, "2020-12", false).validate(withDefaults);
  if (result.valid) return { ok: true, values: withDefaults };
  const issues = result.errors
    .filter((e) => e.keyword !== "properties")
    .map((e) => ({
      path: ["settings", ...e.instanceLocation.replace(/^#\/?/, "").split("/").filter(Boolean)],
      message: e.error,
    }));
  return { ok: false, issues: issues.length ? issues : [{ path: ["settings"], message: "invalid settings" }] };
}
