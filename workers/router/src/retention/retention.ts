import { getTableName } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { recordAudit } from "../../../../lib/audit.ts";
import {
  auditLog,
  commandExecutions,
  devMailbox,
  identityLinkRequests,
  ingressEffects,
  loginLinks,
  memberInvites,
  moderationPermits,
  oauthStates,
  passwordResetTokens,
  sessions,
  verificationCodes,
  workflowExecutions,
} from "../../../../lib/db/schema/index.ts";
import { log } from "../../../../lib/log.ts";

/** Retention settings (days); see `.dev.vars.example` and the README, "Retention". */
export interface RetentionConfig {
  /** Command executions are kept this many days (default 30). */
  RETENTION_EXECUTIONS_DAYS?: string;
  /** Audit entries are kept this many days (default 180). */
  RETENTION_AUDIT_DAYS?: string;
}

const DEFAULT_RETENTION_DAYS = { RETENTION_EXECUTIONS_DAYS: 30, RETENTION_AUDIT_DAYS: 180 } as const;

const DAY_MS = 86_400_000;

/**
 * The events queue's done marks matter only while a message can still be redelivered (retries
 * take minutes; a backlog is held at most the queue's retention, 4 days by default). Dead letters
 * stay as long, for an operator to look at; their audit entries stay with the audit log.
 */
const INGRESS_EFFECTS_DAYS = 7;

/**
 * Rows per DELETE. D1 runs one statement at a time per database and stops a query after 30 s;
 * a few thousand rows by rowid is milliseconds, so a prune never holds the database for long.
 */
export const PRUNE_CHUNK = 4000;
/** Chunks per table per run: a backlog is worked off over several runs, never in one long one. */
const MAX_CHUNKS_PER_TABLE = 25;

/** One table's rule: rows whose `column` (ms since the epoch) is before `before` go. */
interface PruneRule {
  name: string;
  table: SQLiteTable;
  column: SQLiteColumn;
  before: number;
}

/**
 * A positive whole number of days from a setting, or null when it is set to something else:
 * a typo must never widen what gets deleted, so that table is skipped (and the error logged).
 */
export function retentionDays(env: RetentionConfig, name: keyof RetentionConfig): number | null {
  const raw = env[name]?.trim();
  if (!raw) return DEFAULT_RETENTION_DAYS[name];
  const days = Number(raw);
  if (Number.isInteger(days) && days >= 1) return days;
  log.error("invalid retention setting, table not pruned", { setting: name, value: raw });
  return null;
}

/** What the scheduled prune deletes, given the time of the run. */
function retentionRules(env: RetentionConfig, now: number): PruneRule[] {
  const rules: PruneRule[] = [];
  const executionDays = retentionDays(env, "RETENTION_EXECUTIONS_DAYS");
  if (executionDays !== null) {
    const before = now - executionDays * DAY_MS;
    rules.push({ name: "executions", table: commandExecutions, column: commandExecutions.createdAt, before });
    // Workflow runs too (their node executions go with them: ON DELETE CASCADE).
    rules.push({
      name: "workflow_executions",
      table: workflowExecutions,
      column: workflowExecutions.startedAt,
      before,
    });
  }
  const auditDays = retentionDays(env, "RETENTION_AUDIT_DAYS");
  if (auditDays !== null) {
    rules.push({ name: "audit", table: auditLog, column: auditLog.occurredAt, before: now - auditDays * DAY_MS });
  }
  // Credentials are worthless once expired (used ones expire too): nothing to keep them for.
  rules.push(
    { name: "link_codes", table: verificationCodes, column: verificationCodes.expiresAt, before: now },
    { name: "password_resets", table: passwordResetTokens, column: passwordResetTokens.expiresAt, before: now },
    { name: "sessions", table: sessions, column: sessions.expiresAt, before: now },
    { name: "member_invites", table: memberInvites, column: memberInvites.expiresAt, before: now },
    { name: "link_requests", table: identityLinkRequests, column: identityLinkRequests.expiresAt, before: now },
    { name: "oauth_states", table: oauthStates, column: oauthStates.expiresAt, before: now },
    { name: "login_links", table: loginLinks, column: loginLinks.expiresAt, before: now },
    { name: "permits", table: moderationPermits, column: moderationPermits.expiresAt, before: now },
  );
  // The local dev mailbox (WADDLEBOT_ENV=local only) holds reset and invite links: a day is plenty.
  rules.push({ name: "dev_mailbox", table: devMailbox, column: devMailbox.createdAt, before: now - DAY_MS });
  const effectsBefore = now - INGRESS_EFFECTS_DAYS * DAY_MS;
  rules.push({
    name: "ingress_effects",
    table: ingressEffects,
    column: ingressEffects.createdAt,
    before: effectsBefore,
  });
  return rules;
}

interface PruneResult {
  deleted: number;
  /** True when the chunk bound was reached with rows left: the next run continues. */
  more: boolean;
}

/**
 * Deletes one rule's rows, `chunk` at a time by rowid. The inner SELECT stops at `chunk`
 * matches; rowids grow with insertion, so old rows are found first without a time index.
 */
async function pruneTable(
  d1: D1Database,
  rule: PruneRule,
  { chunk = PRUNE_CHUNK, maxChunks = MAX_CHUNKS_PER_TABLE } = {},
): Promise<PruneResult> {
  const table = getTableName(rule.table);
  const column = rule.column.name;
  const statement = d1.prepare(
    `DELETE FROM "${table}" WHERE rowid IN (SELECT rowid FROM "${table}" WHERE "${column}" < ? LIMIT ?)`,
  );
  let deleted = 0;
  for (let i = 0; i < maxChunks; i++) {
    const { meta } = await statement.bind(rule.before, chunk).run();
    deleted += meta.changes;
    if (meta.changes < chunk) return { deleted, more: false };
  }
  return { deleted, more: true };
}

/**
 * The Cron Trigger's job: every rule in turn (one failing does not stop the others), then one
 * audit entry with the counts, so the trail shows that and when its own history was cut.
 */
export async function pruneExpired(
  env: RetentionConfig & { DB: D1Database },
  now = Date.now(),
  options?: { chunk?: number; maxChunks?: number },
): Promise<Record<string, PruneResult>> {
  const results: Record<string, PruneResult> = {};
  for (const rule of retentionRules(env, now)) {
    try {
      results[rule.name] = await pruneTable(env.DB, rule, options);
    } catch (err) {
      log.error("retention prune failed", { table: rule.name, error: err });
    }
  }
  const deleted = Object.values(results).reduce((n, r) => n + r.deleted, 0);
  log.info("retention prune finished", { deleted, results });
  if (deleted > 0) {
    await recordAudit(env.DB, {
      actorType: "system",
      action: "retention.pruned",
      outcome: "success",
      details: { before: new Date(now).toISOString(), results },
    });
  }
  return results;
}
