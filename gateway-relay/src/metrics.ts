/** What `GET /metrics` reports; every part of the relay updates its own counters here. */
export interface Metrics {
  discordShardsOpen: number;
  twitchConnected: boolean;
  /** Who the relay is on Twitch IRC: the bot's login, or "anonymous" (justinfan, read-only). */
  twitchLogin: string;
  /** Logins as the bot that Twitch refused (a wrong or expired token). */
  twitchLoginRefused: number;
  coordinatorConnected: boolean;
  shards: number[];
  /** Channels assigned to this copy, and those it is in (JOIN echoed). */
  channels: number;
  channelsJoined: number;
  eventsReceived: number;
  eventsForwarded: number;
  eventsRejected: number;
  retries: number;
  dropped: number;
  bufferDepth: number;
  malformed: number;
  /** Receipt → accepted latencies of recent events (ms), for the benchmark's p99. */
  latencies: number[];
}

export function newMetrics(): Metrics {
  return {
    discordShardsOpen: 0,
    twitchConnected: false,
    twitchLogin: "anonymous",
    twitchLoginRefused: 0,
    coordinatorConnected: false,
    shards: [],
    channels: 0,
    channelsJoined: 0,
    eventsReceived: 0,
    eventsForwarded: 0,
    eventsRejected: 0,
    retries: 0,
    dropped: 0,
    bufferDepth: 0,
    malformed: 0,
    latencies: [],
  };
}

/** Keeps the last 10,000 latencies: enough for a p99, bounded in memory. */
export function recordLatency(metrics: Metrics, ms: number): void {
  metrics.latencies.push(ms);
  if (metrics.latencies.length > 10_000) metrics.latencies.splice(0, metrics.latencies.length - 10_000);
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
