/** A small grouped bar chart in SVG (no chart library): commands and events per day. */
export function DailyChart({
  days,
  labels = { commands: "commands run", events: "events" },
}: {
  days: { date: string; commands: number; events: number }[];
  /** The two series' names (the marketplace shows executions and errors). */
  labels?: { commands: string; events: string };
}) {
  // At least 4, so the grid lines (0, half, max) are distinct whole numbers.
  const max = Math.max(4, ...days.flatMap((d) => [d.commands, d.events]));
  const w = 720;
  const h = 220;
  const pad = { l: 36, b: 28, t: 10 };
  const slot = (w - pad.l) / days.length;
  const bar = Math.max(1, slot / 2 - 1);
  const y = (v: number) => h - pad.b - (v / max) * (h - pad.b - pad.t);
  const total = days.reduce((n, d) => n + d.commands + d.events, 0);
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${w} ${h}`}
        role="img"
        aria-label={`${labels.commands} and ${labels.events} per day over the last ${days.length} days: ${total} in all`}
        data-testid="daily-chart"
      >
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={pad.l} x2={w} y1={y(max * f)} y2={y(max * f)} className="grid" />
            <text x={pad.l - 6} y={y(max * f) + 4} textAnchor="end" className="axis">
              {Math.round(max * f)}
            </text>
          </g>
        ))}
        {days.map((d, i) => (
          <g key={d.date}>
            <rect
              x={pad.l + i * slot}
              y={y(d.commands)}
              width={bar}
              height={h - pad.b - y(d.commands)}
              className="bar-commands"
            >
              <title>{`${d.date}: ${d.commands} commands`}</title>
            </rect>
            <rect
              x={pad.l + i * slot + bar + 1}
              y={y(d.events)}
              width={bar}
              height={h - pad.b - y(d.events)}
              className="bar-events"
            >
              <title>{`${d.date}: ${d.events} events`}</title>
            </rect>
            {i % 7 === days.length % 7 && (
              <text x={pad.l + i * slot} y={h - 8} className="axis">
                {d.date.slice(5)}
              </text>
            )}
          </g>
        ))}
      </svg>
      <figcaption>
        <span className="key key-commands" /> {labels.commands} <span className="key key-events" /> {labels.events}
      </figcaption>
    </figure>
  );
}
