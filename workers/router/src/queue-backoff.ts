/** The first retry's delay unless QUEUE_RETRY_BASE_SECONDS says otherwise. */
const DEFAULT_RETRY_BASE_SECONDS = 2;

/**
 * Exponential backoff for this worker's queues (events, role sync): base × 2^(attempt − 1), so
 * 2, 4, 8, 16, 32 s over the five retries in wrangler.toml (about a minute of an outage absorbed)
 * before the dead-letter queue or the audit; at most 5 minutes.
 */
export function retryDelaySeconds(env: { QUEUE_RETRY_BASE_SECONDS?: string }, attempts: number): number {
  const configured = Number(env.QUEUE_RETRY_BASE_SECONDS);
  const base = env.QUEUE_RETRY_BASE_SECONDS && configured >= 0 ? configured : DEFAULT_RETRY_BASE_SECONDS;
  return Math.min(300, Math.round(base * 2 ** Math.max(0, attempts - 1)));
}
