/**
 * Secrets inside a JSON column (a module's engine config today; installation settings when the
 * marketplace moves them there): the named fields are sealed one by one with secret-box, each
 * bound to `<column context>#<field>`, and the rest of the object stays readable JSON. One
 * helper for every writer and reader, so no path stores or hands out a clear secret.
 */
import { isSealed, open, type SecretBoxConfig, seal } from "./secret-box.ts";

export const fieldContext = (context: string, field: string) => `${context}#${field}`;

/** A copy of `obj` with each named string field sealed (already sealed values are kept). */
export async function sealFields<T extends Record<string, unknown>>(
  box: SecretBoxConfig,
  obj: T,
  fields: readonly string[],
  context: string,
): Promise<T> {
  const out: Record<string, unknown> = { ...obj };
  for (const field of fields) {
    const value = out[field];
    if (typeof value === "string" && value && !isSealed(value))
      out[field] = await seal(box, value, fieldContext(context, field));
  }
  return out as T;
}

/**
 * A copy of `obj` with each named sealed field opened. A field still in clear (a row written
 * before sealing, not yet migrated by `npm run rotate-key`) is passed through; a sealed one that
 * does not open (wrong key, moved between rows) throws SecretBoxError.
 */
export async function openFields<T extends Record<string, unknown>>(
  box: SecretBoxConfig,
  obj: T,
  fields: readonly string[],
  context: string,
): Promise<T> {
  const out: Record<string, unknown> = { ...obj };
  for (const field of fields) {
    const value = out[field];
    if (isSealed(value)) out[field] = await open(box, value, fieldContext(context, field));
  }
  return out as T;
}
