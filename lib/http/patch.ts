import * as z from "zod";

type PatchShape<S extends z.ZodRawShape> = {
  [K in keyof S]: z.ZodOptional<S[K] extends z.ZodDefault<infer Inner> ? Inner : S[K]>;
};

/**
 * The body of a PATCH for an object schema: every field optional and no defaults. With
 * `schema.partial()` zod still fills a default for a field the caller left out, so merging the
 * validated body would reset it (`enabled: false` back to `true`); without defaults, a field
 * left out keeps its stored value and the handler can merge `c.req.valid("json")` as is.
 * Unknown fields are stripped, as by the schema itself.
 */
export function patchOf<S extends z.ZodRawShape>(schema: z.ZodObject<S>): z.ZodObject<PatchShape<S>> {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([key, field]) => [
      key,
      (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : (field as z.ZodType)).optional(),
    ]),
  );
  return z.object(shape) as unknown as z.ZodObject<PatchShape<S>>;
}
