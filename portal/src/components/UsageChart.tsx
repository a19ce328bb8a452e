import { DailyChart } from "./Chart.tsx";

type Usage = {
  days: {
    day: string;
    executions: number;
    errors: number;
    p50Ms: number | null;
    p95Ms: number | null;
    uniqueUsers: number;
  }[];
  totals: { executions: number; errors: number; uniqueUsers: number };
};

/** A module's usage per day (the API's days, with the empty ones filled in) and its totals. */
export function UsageChart({ usage, days = 30 }: { usage: Usage; days?: number }) {
  const byDay = new Map(usage.days.map((d) => [d.day, d]));
  const series = Array.from({ length: days }, (_, i) => {
    const date = new Date(Date.now() - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10);
    const d = byDay.get(date);
    return { date, commands: d?.executions ?? 0, events: d?.errors ?? 0 };
  });
  const latest = usage.days.at(-1);
  return (
    <div className="usage" data-testid="usage">
      <DailyChart days={series} labels={{ commands: "executions", events: "errors" }} />
      <p className="muted">
        {usage.totals.executions} executions · {usage.totals.errors} errors · {usage.totals.uniqueUsers} users
        {latest?.p50Ms != null && ` · latest day p50 ${latest.p50Ms} ms, p95 ${latest.p95Ms} ms`}
      </p>
    </div>
  );
}
