/**
 * Every D1 column that holds a value sealed with lib/crypto/secret-box.ts, so key rotation
 * (`npm run rotate-key`) can find them all. A feature that stores a secret adds its column here;
 * the sealing context is `${table}.${column}:${row id}`.
 */
export interface SealedColumn {
  table: string;
  column: string;
  /** The row's primary key column (its value is part of the sealing context). */
  idColumn: string;
}

export const SEALED_COLUMNS: SealedColumn[] = [
  // Per-community OAuth grants (lib/connections/store.ts).
  { table: "platform_connections", column: "access_token", idColumn: "id" },
  { table: "platform_connections", column: "refresh_token", idColumn: "id" },
  // The instance's Twitch bot account (lib/connections/store.ts).
  { table: "instance_credentials", column: "access_token", idColumn: "id" },
  { table: "instance_credentials", column: "refresh_token", idColumn: "id" },
];

/** The authenticated context a sealed value of this column and row is bound to. */
export function sealContext(col: Pick<SealedColumn, "table" | "column">, rowId: string): string {
  return `${col.table}.${col.column}:${rowId}`;
}
