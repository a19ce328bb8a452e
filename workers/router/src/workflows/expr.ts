import jsonata from "jsonata";
import type { z } from "zod";
import type { Comparison } from "./nodes.ts";

/** What templates, comparisons and expressions see: the trigger's data, variables, node outputs. */
export type RunData = Record<string, unknown>;

const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"]);

/** `a.b.0.c` in the run data; undefined when any part is missing. Own properties only. */
export function lookup(data: unknown, path: string): unknown {
  let cur: unknown = data;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object" || FORBIDDEN.has(part) || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const REF = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z0-9_.]+)\s*\}\}$/;

/**
 * A config value with `{{path}}` references: a string that is exactly one reference keeps the
 * referenced value's type (`{{vars.items}}` is the array); other strings are interpolated;
 * objects and arrays are resolved member by member; anything else is itself.
 */
export function resolve(value: unknown, data: RunData): unknown {
  if (typeof value === "string") {
    const whole = WHOLE.exec(value);
    if (whole) return lookup(data, whole[1]!);
    return value.replace(REF, (_, path: string) => {
      const v = lookup(data, path);
      if (v === undefined || v === null) return "";
      return typeof v === "object" ? JSON.stringify(v) : String(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, data));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, data)]));
  }
  return value;
}

export const resolveText = (value: string, data: RunData): string => {
  const v = resolve(value, data);
  return v === undefined || v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
};

const asNumber = (v: unknown) =>
  typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;

function compare(c: z.infer<typeof Comparison>, data: RunData): boolean {
  const left = resolve(c.left, data);
  const right = resolve(c.right, data);
  switch (c.op) {
    case "exists":
      return left !== undefined && left !== null && left !== "";
    case "not_exists":
      return left === undefined || left === null || left === "";
    case "eq":
      return String(left ?? "") === String(right ?? "");
    case "ne":
      return String(left ?? "") !== String(right ?? "");
    case "gt":
      return asNumber(left) > asNumber(right);
    case "gte":
      return asNumber(left) >= asNumber(right);
    case "lt":
      return asNumber(left) < asNumber(right);
    case "lte":
      return asNumber(left) <= asNumber(right);
    case "contains":
    case "not_contains": {
      const has = Array.isArray(left)
        ? left.map(String).includes(String(right))
        : String(left ?? "").includes(String(right ?? ""));
      return c.op === "contains" ? has : !has;
    }
    case "starts_with":
      return String(left ?? "").startsWith(String(right ?? ""));
    case "in":
      return String(right ?? "")
        .split(",")
        .map((s) => s.trim())
        .includes(String(left ?? ""));
  }
}

/** An AND of comparisons. */
export const allTrue = (conditions: z.infer<typeof Comparison>[], data: RunData) =>
  conditions.every((c) => compare(c, data));

/**
 * Limits of data_transform. jsonata has no eval, and its `timeout` needs a clock that only
 * moves on I/O in workerd, so a runaway expression is stopped by depth, sequence size and a
 * count of evaluation steps (a tail-recursive function never deepens the stack: jsonata
 * optimises tail calls, so without the count it would loop until the CPU limit).
 */
const JSONATA_LIMITS = { stack: 50, sequence: 10_000 };
const JSONATA_MAX_EVALUATIONS = 50_000;

class ExpressionError extends Error {}

/** Evaluates a data_transform expression against the run data, within JSONATA_LIMITS. */
export async function evaluate(expression: string, data: RunData): Promise<unknown> {
  try {
    const compiled = jsonata(expression, JSONATA_LIMITS);
    let evaluations = 0;
    compiled.assign(Symbol.for("jsonata.__evaluate_entry") as never, () => {
      if (++evaluations > JSONATA_MAX_EVALUATIONS) {
        throw { code: "WB001", message: `more than ${JSONATA_MAX_EVALUATIONS} evaluation steps` };
      }
    });
    const out = await compiled.evaluate(data);
    // jsonata sequences carry a marker property; plain JSON is what the run stores.
    return out === undefined ? null : JSON.parse(JSON.stringify(out));
  } catch (err) {
    const message = (err as { message?: string }).message ?? String(err);
    throw new ExpressionError(`expression failed: ${message}`.slice(0, 300));
  }
}
