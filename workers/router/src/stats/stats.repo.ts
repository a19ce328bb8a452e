const DAY_MS = 86_400_000;

/** The last `days` UTC dates (YYYY-MM-DD), oldest first, ending with today's. */
export function dayKeys(days: number, now: Date): string[] {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

type DayCount = { day: string; n: number };

/**
 * Simulated runs (the admin API's try-it) are never counted: executions carry a `simulated`
 * column, audit entries written for a simulated event carry `details.simulated = true`.
 */
const REAL_AUDIT = "coalesce(json_extract(details, '$.simulated'), 0) = 0";

/**
 * The dashboard's queries, in one D1 batch (one round trip). Grouping by day is done by
 * SQLite on the indexed (community, time) columns, so the cost follows the window, not the table.
 */
export async function loadStats(d1: D1Database, communityId: string, days: string[]) {
  const since = Date.parse(`${days[0]}T00:00:00Z`);
  const day = (col: string) => `strftime('%Y-%m-%d', ${col} / 1000, 'unixepoch')`;
  const [members, commands, moduleEvents, audits, top, moderation] = await d1.batch([
    d1.prepare("SELECT count(*) AS n FROM community_members WHERE community_id = ?").bind(communityId),
    d1
      .prepare(
        `SELECT ${day("created_at")} AS day, count(*) AS n FROM command_executions
         WHERE community_id = ? AND created_at >= ? AND simulated = 0 AND command NOT LIKE 'event:%' GROUP BY day`,
      )
      .bind(communityId, since),
    d1
      .prepare(
        `SELECT ${day("created_at")} AS day, count(*) AS n FROM command_executions
         WHERE community_id = ? AND created_at >= ? AND simulated = 0 AND command LIKE 'event:%' GROUP BY day`,
      )
      .bind(communityId, since),
    d1
      .prepare(
        `SELECT ${day("occurred_at")} AS day, count(*) AS n FROM audit_log
         WHERE community_id = ? AND occurred_at >= ? AND ${REAL_AUDIT} GROUP BY day`,
      )
      .bind(communityId, since),
    d1
      .prepare(
        `SELECT command, count(*) AS count FROM command_executions
         WHERE community_id = ? AND created_at >= ? AND simulated = 0 AND command NOT LIKE 'event:%'
         GROUP BY command ORDER BY count DESC, command LIMIT 5`,
      )
      .bind(communityId, since),
    d1
      .prepare(
        `SELECT occurred_at, details FROM audit_log
         WHERE community_id = ? AND action = 'moderation.matched' AND ${REAL_AUDIT}
         ORDER BY occurred_at DESC LIMIT 10`,
      )
      .bind(communityId),
  ]);
  const byDay = (rows: unknown[]) => new Map((rows as DayCount[]).map((r) => [r.day, r.n]));
  const cmd = byDay(commands!.results);
  const mod = byDay(moduleEvents!.results);
  const aud = byDay(audits!.results);
  return {
    members: (members!.results[0] as { n: number }).n,
    days: days.map((date) => ({
      date,
      commands: cmd.get(date) ?? 0,
      events: (mod.get(date) ?? 0) + (aud.get(date) ?? 0),
    })),
    topCommands: top!.results as { command: string; count: number }[],
    recentModeration: (moderation!.results as { occurred_at: number; details: string | null }[]).map((r) => {
      const d = (r.details ? JSON.parse(r.details) : {}) as Record<string, string | undefined>;
      return {
        at: new Date(r.occurred_at).toISOString(),
        rule: d.rule ?? null,
        action: d.action ?? null,
        platform: d.platform ?? null,
        user: d.user ?? null,
      };
    }),
  };
}
