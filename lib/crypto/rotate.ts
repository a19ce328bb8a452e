/**
 * Key rotation (issue 11): re-seals under the current key every value in SEALED_COLUMNS that an
 * older key sealed, and seals the secrets still in clear inside JSON columns (rows written before
 * module secrets were sealed: the data migration). In batches, by primary key; each update is
 * conditional on the value it read, so a concurrent write is never overwritten and a second run
 * finds nothing to do. Runs in the router (the admin endpoint) and in Node (`npm run rotate-key`)
 * against any `SqlRunner`.
 */
import { SEALED_COLUMNS, type SealedColumn, sealContext } from "./sealed-columns.ts";
import { fieldContext } from "./sealed-json.ts";
import { currentKeyId, isSealed, reseal, type SecretBoxConfig, seal } from "./secret-box.ts";

export interface SqlStatement {
  sql: string;
  params: (string | number | null)[];
}

/** Just enough of a database: D1 in a worker, `wrangler d1 execute` from the script. */
export interface SqlRunner {
  all(statement: SqlStatement): Promise<Record<string, unknown>[]>;
  /** Runs the statements in one transaction. */
  batch(statements: SqlStatement[]): Promise<void>;
}

export interface RotationCounts {
  table: string;
  column: string;
  scanned: number;
  resealed: number;
  sealedFromClear: number;
}

export interface RotationReport {
  keyId: string;
  columns: RotationCounts[];
  resealed: number;
  sealedFromClear: number;
}

const DEFAULT_BATCH = 100;
// Identifiers come from SEALED_COLUMNS (code, not input); checked anyway before they reach SQL.
const IDENT = /^[a-z_][a-z0-9_]*$/;

async function rotateValue(box: SecretBoxConfig, col: SealedColumn, contextId: string, value: string) {
  const counts = { resealed: 0, sealedFromClear: 0 };
  if (!col.jsonFields && !col.jsonSlots) {
    const next = isSealed(value) ? await reseal(box, value, sealContext(col, contextId)) : null;
    if (next) counts.resealed++;
    return { next, counts };
  }
  const obj = JSON.parse(value) as Record<string, unknown>;
  const slots = col.jsonSlots
    ? col.jsonSlots(obj)
    : col.jsonFields!.map((field) => ({ holder: obj, key: field, field }));
  let changed = false;
  for (const { holder, key, field } of slots) {
    const v = holder[key];
    if (typeof v !== "string" || !v) continue;
    const context = fieldContext(sealContext(col.contextOf ?? col, contextId), field);
    if (!isSealed(v)) {
      holder[key] = await seal(box, v, context);
      counts.sealedFromClear++;
      changed = true;
    } else {
      const next = await reseal(box, v, context);
      if (next) {
        holder[key] = next;
        counts.resealed++;
        changed = true;
      }
    }
  }
  return { next: changed ? JSON.stringify(obj) : null, counts };
}

/** One column, batch by batch. Throws (SecretBoxError) when a value opens with no configured key. */
async function rotateColumn(box: SecretBoxConfig, db: SqlRunner, col: SealedColumn, batch: number) {
  const contextColumn = col.contextColumn ?? col.idColumn;
  for (const name of [col.table, col.column, col.idColumn, contextColumn])
    if (!IDENT.test(name)) throw new Error(`bad identifier ${name}`);
  const counts: RotationCounts = { table: col.table, column: col.column, scanned: 0, resealed: 0, sealedFromClear: 0 };
  let after = "";
  for (;;) {
    const rows = await db.all({
      sql: `SELECT ${col.idColumn} AS id, ${contextColumn} AS ctx, ${col.column} AS value FROM ${col.table} WHERE ${col.idColumn} > ? AND ${col.column} IS NOT NULL ORDER BY ${col.idColumn} LIMIT ?`,
      params: [after, batch],
    });
    if (rows.length === 0) return counts;
    const updates: SqlStatement[] = [];
    for (const row of rows) {
      const id = String(row.id);
      const value = String(row.value);
      counts.scanned++;
      const { next, counts: c } = await rotateValue(box, col, String(row.ctx), value);
      counts.resealed += c.resealed;
      counts.sealedFromClear += c.sealedFromClear;
      if (next !== null) {
        updates.push({
          sql: `UPDATE ${col.table} SET ${col.column} = ? WHERE ${col.idColumn} = ? AND ${col.column} = ?`,
          params: [next, id, value],
        });
      }
    }
    if (updates.length) await db.batch(updates);
    after = String(rows.at(-1)!.id);
  }
}

/** Re-seals every registered column; the report counts what changed (zero on a second run). */
export async function rotateSecrets(
  box: SecretBoxConfig,
  db: SqlRunner,
  options: { batch?: number; columns?: SealedColumn[] } = {},
): Promise<RotationReport> {
  const keyId = await currentKeyId(box);
  const columns: RotationCounts[] = [];
  for (const col of options.columns ?? SEALED_COLUMNS)
    columns.push(await rotateColumn(box, db, col, options.batch ?? DEFAULT_BATCH));
  return {
    keyId,
    columns,
    resealed: columns.reduce((n, c) => n + c.resealed, 0),
    sealedFromClear: columns.reduce((n, c) => n + c.sealedFromClear, 0),
  };
}

/** What d1Runner uses of a D1 binding (Miniflare's D1 in Node has the same shape). */
interface D1Like<S> {
  prepare(sql: string): { bind(...values: unknown[]): S & { all(): Promise<{ results: unknown[] }> } };
  batch(statements: S[]): Promise<unknown>;
}

/** A D1 binding as a SqlRunner. */
export function d1Runner<S>(d1: D1Like<S>): SqlRunner {
  const prepare = (s: SqlStatement) => d1.prepare(s.sql).bind(...s.params);
  return {
    all: async (s) => (await prepare(s).all()).results as Record<string, unknown>[],
    batch: async (statements) => void (await d1.batch(statements.map(prepare))),
  };
}
