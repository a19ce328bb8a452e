/**
 * Interleaved measurement for benches on a shared machine: every row runs once per round, the
 * rounds one after the other (A B C, A B C, ...), so a burst of load from another process falls
 * on every row alike instead of on whichever row happened to run then. Throughput is the median
 * of the rounds; CPU per event and latencies are pooled over them.
 */
import { cpuMs } from "./cpu.ts";
import { latencies, throughput } from "./load.ts";

export interface Row {
  url: URL;
  body: () => string;
}

export interface RowFigures {
  /** Median requests per second over the rounds. */
  rps: number;
  /** workerd CPU µs per request over all rounds (null where /proc is absent). */
  cpuUs: number | null;
  /** Sorted latencies (ms), one request at a time, pooled over the rounds. */
  lat: number[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs every row `rounds` times in turn: `phaseMs` of throughput, then `requests / rounds` one at a time. */
export async function interleaved<K extends string>(
  rows: Record<K, Row>,
  opts: { rounds: number; phaseMs: number; requests: number; pids: number[] },
): Promise<Record<K, RowFigures>> {
  const keys = Object.keys(rows) as K[];
  const acc = Object.fromEntries(keys.map((k) => [k, { rps: [] as number[], events: 0, ms: 0, lat: [] as number[] }]));
  for (let r = 0; r < opts.rounds; r++) {
    for (const k of keys) {
      const { url, body } = rows[k];
      const a = acc[k]!;
      const w0 = cpuMs(opts.pids);
      const t0 = performance.now();
      const rps = await throughput(url, body, opts.phaseMs);
      a.events += rps * ((performance.now() - t0) / 1000);
      a.ms += cpuMs(opts.pids) - w0;
      a.rps.push(rps);
      a.lat.push(...(await latencies(url, body, Math.ceil(opts.requests / opts.rounds))));
    }
  }
  return Object.fromEntries(
    keys.map((k) => {
      const a = acc[k]!;
      const cpuUs = opts.pids.length && a.events ? (a.ms * 1000) / a.events : null;
      return [k, { rps: median(a.rps), cpuUs, lat: a.lat.sort((x, y) => x - y) }];
    }),
  ) as Record<K, RowFigures>;
}
