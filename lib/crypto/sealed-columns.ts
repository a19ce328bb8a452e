/**
 * Every D1 column that holds a value sealed with lib/crypto/secret-box.ts, so key rotation
 * (`npm run rotate-key`, POST /api/v1/admin/secrets/rotate) can find them all. A feature that
 * stores a secret adds its column here; the sealing context is `${table}.${column}:${row id}`.
 * A JSON column with secrets inside (lib/crypto/sealed-json.ts) lists them in `jsonFields`:
 * each is sealed on its own, with the context `${table}.${column}:${row id}#${field}`.
 */
import { type JsonSlot, webhookHeaderSlots } from "./sealed-graph.ts";

export interface SealedColumn {
  table: string;
  column: string;
  /** The row's primary key column (its value is part of the sealing context). */
  idColumn: string;
  /** For a JSON column: the fields holding sealed secrets (the rest of the object stays clear). */
  jsonFields?: readonly string[];
  /** For a JSON column whose secrets sit deeper than the top level: the sealed slots of a parsed value. */
  jsonSlots?: (value: unknown) => JsonSlot[];
  /** The column whose value the context names, when not idColumn (a snapshot is bound to its workflow). */
  contextColumn?: string;
  /** The `table.column` the context names, when not this one's (snapshots share their draft's context). */
  contextOf?: { table: string; column: string };
}

/** The module engine configs' secrets: webhook HMAC key, AWS keys, OpenWhisk credentials. */
export const MODULE_CONFIG_SECRETS = ["secret", "secretAccessKey", "sessionToken", "auth"] as const;

/** A workflow's draft graph: its action_webhook header values (lib/crypto/sealed-graph.ts). */
export const WORKFLOW_GRAPH_COLUMN = { table: "workflows", column: "graph" } as const;

export const SEALED_COLUMNS: SealedColumn[] = [
  { table: "modules", column: "config", idColumn: "id", jsonFields: MODULE_CONFIG_SECRETS },
  // Marketplace installations: each community's own engine secrets (webhook key, AWS keys, OpenWhisk auth).
  { table: "module_installations", column: "secrets", idColumn: "id" },
  // Per-community OAuth grants (lib/connections/store.ts).
  { table: "platform_connections", column: "access_token", idColumn: "id" },
  { table: "platform_connections", column: "refresh_token", idColumn: "id" },
  // The instance's Twitch bot account (lib/connections/store.ts).
  { table: "instance_credentials", column: "access_token", idColumn: "id" },
  { table: "instance_credentials", column: "refresh_token", idColumn: "id" },
  // Workflow webhooks' HMAC secrets (workers/router/src/workflows/hooks.routes.ts).
  { table: "workflow_webhooks", column: "secret", idColumn: "id" },
  // Workflow graphs: the draft and its published snapshots, bound to the workflow's id.
  { ...WORKFLOW_GRAPH_COLUMN, idColumn: "id", jsonSlots: webhookHeaderSlots },
  {
    table: "workflow_versions",
    column: "graph",
    idColumn: "id",
    jsonSlots: webhookHeaderSlots,
    contextColumn: "workflow_id",
    contextOf: WORKFLOW_GRAPH_COLUMN,
  },
  // The calendar module's iCal feed URL token (workers/modules/src/calendar/feed.ts).
  { table: "calendar_feeds", column: "token_sealed", idColumn: "community_id" },
  // The spotify module's grant per community (lib/spotify).
  { table: "spotify_accounts", column: "access_token", idColumn: "community_id" },
  { table: "spotify_accounts", column: "refresh_token", idColumn: "community_id" },
  { table: "oauth_states", column: "code_verifier", idColumn: "state_hash" },
];

/** The authenticated context a sealed value of this column and row is bound to. */
export function sealContext(col: Pick<SealedColumn, "table" | "column">, rowId: string): string {
  return `${col.table}.${col.column}:${rowId}`;
}
