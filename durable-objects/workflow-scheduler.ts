import { Cron } from "croner";
import { eq } from "drizzle-orm";
import { createDb } from "../lib/db/client.ts";
import { routerSettings, workflowSchedules } from "../lib/db/schema/index.ts";
import { log } from "../lib/log.ts";
import type { Env } from "../workers/router/src/env.ts";
import type { ScheduleSpec } from "../workers/router/src/workflows/nodes.ts";
import { startPublished } from "../workers/router/src/workflows/start.ts";
import { PingableObject } from "./base.ts";

export const DEFAULT_GRACE_MINUTES = 15;

/** The next time a schedule fires strictly after `after` (null: never again). */
export function nextRun(spec: ScheduleSpec, after: number, previous: number | null): number | null {
  switch (spec.kind) {
    case "cron":
      return new Cron(spec.cron, { timezone: spec.timezone }).nextRun(new Date(after))?.getTime() ?? null;
    case "interval": {
      const step = spec.intervalSeconds * 1000;
      if (previous === null) return after + step;
      // Coalesce: the first slot of the interval's grid after `after`.
      return previous + step * Math.max(1, Math.ceil((after - previous + 1) / step));
    }
    case "once":
      // Once it has come due (run, or skipped past the grace period) it never comes again.
      return previous === null ? Date.parse(spec.at) : null;
  }
}

interface Row {
  workflow_id: string;
  community_id: string;
  spec: string;
  next_at: number | null;
  count: number;
  [key: string]: SqlStorageValue;
}

/**
 * One per community (idFromName(communityId)): its workflows' schedules and one alarm for the
 * earliest. A run missed while nothing ran (deploy, outage) still starts if it is at most the
 * grace period late, once: the other missed runs are coalesced into it, and the schedule goes
 * on from now. Later than the grace period, the missed run is skipped.
 */
export class WorkflowScheduler extends PingableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS schedules (workflow_id TEXT PRIMARY KEY, community_id TEXT NOT NULL, spec TEXT NOT NULL, next_at INTEGER, count INTEGER NOT NULL DEFAULT 0)",
    );
  }

  private graceMs(): number {
    const minutes = Number(this.env.WORKFLOW_SCHEDULE_GRACE_MINUTES ?? DEFAULT_GRACE_MINUTES);
    return (Number.isFinite(minutes) && minutes >= 0 ? minutes : DEFAULT_GRACE_MINUTES) * 60_000;
  }

  /** Sets (spec) or removes (null) a workflow's schedule; returns its next run. */
  async setSchedule(
    communityId: string,
    workflowId: string,
    spec: ScheduleSpec | null,
    now = Date.now(),
  ): Promise<number | null> {
    if (!spec) {
      this.ctx.storage.sql.exec("DELETE FROM schedules WHERE workflow_id = ?", workflowId);
      await this.arm();
      return null;
    }
    const next = nextRun(spec, now, null);
    this.ctx.storage.sql.exec(
      "INSERT INTO schedules (workflow_id, community_id, spec, next_at, count) VALUES (?, ?, ?, ?, 0) ON CONFLICT(workflow_id) DO UPDATE SET spec = excluded.spec, next_at = excluded.next_at, count = 0",
      workflowId,
      communityId,
      JSON.stringify(spec),
      next,
    );
    await this.arm();
    return next;
  }

  async list(): Promise<{ workflowId: string; nextAt: number | null; count: number; spec: ScheduleSpec }[]> {
    return this.ctx.storage.sql
      .exec<Row>("SELECT * FROM schedules ORDER BY next_at")
      .toArray()
      .map((r) => ({ workflowId: r.workflow_id, nextAt: r.next_at, count: r.count, spec: JSON.parse(r.spec) }));
  }

  private async arm(): Promise<void> {
    const row = this.ctx.storage.sql.exec<{ at: number | null }>("SELECT MIN(next_at) AS at FROM schedules").one();
    if (row.at === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(row.at);
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    const due = this.ctx.storage.sql.exec<Row>("SELECT * FROM schedules WHERE next_at <= ?", now).toArray();
    for (const row of due) {
      const spec = JSON.parse(row.spec) as ScheduleSpec;
      const late = now - (row.next_at ?? now);
      let count = row.count;
      if (late <= this.graceMs()) {
        try {
          // Whether the stream is live: "every 15 min while live" is the common schedule.
          const settings = await createDb(this.env.DB)
            .select({ liveSince: routerSettings.liveSince })
            .from(routerSettings)
            .where(eq(routerSettings.communityId, row.community_id))
            .get();
          const started = await startPublished(this.env, row.community_id, row.workflow_id, {
            kind: "schedule",
            data: {
              scheduledAt: new Date(row.next_at ?? now).toISOString(),
              firedAt: new Date(now).toISOString(),
              live: Boolean(settings?.liveSince),
            },
          });
          if (started) count++;
        } catch (err) {
          log.error("scheduled workflow did not start", { workflowId: row.workflow_id, error: err });
        }
      } else {
        log.warn("scheduled run missed beyond the grace period; skipped", {
          workflowId: row.workflow_id,
          lateMs: late,
        });
      }
      const capped = spec.kind === "interval" && spec.maxCount !== undefined && count >= spec.maxCount;
      const next = capped ? null : nextRun(spec, now, row.next_at);
      if (next === null) this.ctx.storage.sql.exec("DELETE FROM schedules WHERE workflow_id = ?", row.workflow_id);
      else
        this.ctx.storage.sql.exec(
          "UPDATE schedules SET next_at = ?, count = ? WHERE workflow_id = ?",
          next,
          count,
          row.workflow_id,
        );
      await createDb(this.env.DB)
        .update(workflowSchedules)
        .set({ nextRunAt: next === null ? null : new Date(next), runCount: count })
        .where(eq(workflowSchedules.workflowId, row.workflow_id))
        .catch((err) => log.error("schedule mirror update failed", { error: err }));
    }
    await this.arm();
  }
}
