import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { communities } from "./communities.ts";

/** A graph as stored: validated by workers/router/src/workflows/graph.ts where it is read. */
export interface StoredGraph {
  nodes: { id: string; type: string; config: Record<string, unknown>; position: { x: number; y: number } }[];
  edges: { id: string; source: string; sourcePort: string; target: string }[];
}

/** A community's workflow: its editable draft graph; published versions are snapshots below. */
export const workflows = sqliteTable(
  "workflows",
  {
    id: id(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    status: text("status", { enum: ["draft", "published"] })
      .notNull()
      .default("draft"),
    /** The latest published version (0: never published). */
    version: integer("version").notNull().default(0),
    graph: text("graph", { mode: "json" }).$type<StoredGraph>().notNull(),
    /** The trigger command it registers once published (`!hello`), for conflict checks and routing. */
    triggerCommand: text("trigger_command"),
    /** The event type it listens to once published (follow, raid, …). */
    triggerEvent: text("trigger_event"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("workflows_community_name").on(t.communityId, t.name),
    index("workflows_community_command").on(t.communityId, t.triggerCommand),
    index("workflows_community_event").on(t.communityId, t.triggerEvent),
  ],
);

/** Immutable published snapshots: an execution always runs the one it started with. */
export const workflowVersions = sqliteTable(
  "workflow_versions",
  {
    id: id(),
    workflowId: text("workflow_id")
      .notNull()
      .references(() => workflows.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    graph: text("graph", { mode: "json" }).$type<StoredGraph>().notNull(),
    publishedBy: text("published_by"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("workflow_versions_workflow_version").on(t.workflowId, t.version)],
);

export const WORKFLOW_EXECUTION_STATUSES = ["queued", "running", "completed", "failed", "cancelled"] as const;

/** One run of one published version (Workflows keeps instances only for days: this is the record). */
export const workflowExecutions = sqliteTable(
  "workflow_executions",
  {
    id: id(),
    workflowId: text("workflow_id")
      .notNull()
      .references(() => workflows.id, { onDelete: "cascade" }),
    communityId: text("community_id").notNull(),
    version: integer("version").notNull(),
    /** The Workflows instance id (a retry from a failed node starts a new instance). */
    instanceId: text("instance_id").notNull(),
    trigger: text("trigger", { enum: ["command", "event", "webhook", "schedule", "manual"] }).notNull(),
    status: text("status", { enum: WORKFLOW_EXECUTION_STATUSES }).notNull().default("queued"),
    input: text("input", { mode: "json" }).$type<Record<string, unknown>>(),
    error: text("error"),
    /** When this is a retry, the execution and node it resumes from. */
    retryOf: text("retry_of"),
    startedAt: createdAt("started_at"),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("workflow_executions_community_time").on(t.communityId, t.startedAt),
    index("workflow_executions_workflow_time").on(t.workflowId, t.startedAt),
  ],
);

/** One node's run inside an execution; `stepName` is unique per execution (idempotent writes). */
export const workflowNodeExecutions = sqliteTable(
  "workflow_node_executions",
  {
    id: id(),
    executionId: text("execution_id")
      .notNull()
      .references(() => workflowExecutions.id, { onDelete: "cascade" }),
    nodeId: text("node_id").notNull(),
    nodeType: text("node_type").notNull(),
    stepName: text("step_name").notNull(),
    status: text("status", { enum: ["completed", "failed", "skipped"] }).notNull(),
    input: text("input", { mode: "json" }).$type<unknown>(),
    output: text("output", { mode: "json" }).$type<unknown>(),
    error: text("error"),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("workflow_node_executions_step").on(t.executionId, t.stepName)],
);

/** Global-scope workflow variables: per community, shared by all its workflows. */
export const workflowVariables = sqliteTable(
  "workflow_variables",
  {
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    value: text("value", { mode: "json" }).$type<unknown>(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("workflow_variables_community_name").on(t.communityId, t.name)],
);

/** Incoming webhooks of a workflow; the secret is sealed (lib/crypto/secret-box.ts). */
export const workflowWebhooks = sqliteTable(
  "workflow_webhooks",
  {
    id: id(),
    workflowId: text("workflow_id")
      .notNull()
      .references(() => workflows.id, { onDelete: "cascade" }),
    communityId: text("community_id").notNull(),
    token: text("token").notNull().unique(),
    secret: text("secret").notNull(),
    allowedIps: text("allowed_ips", { mode: "json" }).$type<string[]>().notNull().default([]),
    ratePerMinute: integer("rate_per_minute").notNull().default(60),
    triggerCount: integer("trigger_count").notNull().default(0),
    lastTriggeredAt: integer("last_triggered_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("workflow_webhooks_workflow").on(t.workflowId)],
);

/** What the scheduler object runs, mirrored for listing (the object holds the timing). */
export const workflowSchedules = sqliteTable("workflow_schedules", {
  workflowId: text("workflow_id")
    .primaryKey()
    .references(() => workflows.id, { onDelete: "cascade" }),
  communityId: text("community_id").notNull(),
  spec: text("spec", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  nextRunAt: integer("next_run_at", { mode: "timestamp_ms" }),
  runCount: integer("run_count").notNull().default(0),
  updatedAt: updatedAt(),
});

/** A community's workflow licence (an Ed25519-signed token, verified on every use). */
export const workflowLicences = sqliteTable("workflow_licences", {
  communityId: text("community_id")
    .primaryKey()
    .references(() => communities.id, { onDelete: "cascade" }),
  token: text("token").notNull(),
  tier: text("tier", { enum: ["free", "pro"] }).notNull(),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  updatedAt: updatedAt(),
});
