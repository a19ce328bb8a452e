import { awardPointsOnceStatements, type PointsAward } from "../identity/platform-users.ts";
import { log } from "../log.ts";

interface PointsBufferOptions {
  /** Flush as soon as this many awards wait (4 statements each: 25 keep a batch at 100). */
  maxAwards: number;
  /** Flush at most this long after the first award that is waiting. */
  maxWaitMs: number;
}

interface Waiting {
  award: PointsAward;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Activity points from queued events, written many to one D1 batch (one transaction, one
 * commit) instead of a read and a write per chat line, like the router's execution audit
 * buffer. Unlike the audit, an award is not fire-and-forget: `add` resolves only once the
 * batch holding it has committed, and the queue consumer acknowledges a message only after
 * that, so a lost flush means a redelivery, never lost points. Exactly once comes from the
 * statements (awardPointsOnceStatements): points are added only while the event has no
 * `points` mark, and the mark is written in the same transaction.
 *
 * The messages of one queue batch are processed side by side, so they reach `add` together
 * and share a flush. A batch that fails is retried award by award, so one bad award (a
 * community deleted meanwhile) fails only its own message.
 */
class PointsBuffer {
  private waiting: Waiting[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Flushes and awards written, for tests and logs. */
  readonly stats = { flushes: 0, awards: 0 };

  constructor(private readonly options: PointsBufferOptions) {}

  /** Queues an award; resolves when it is committed, rejects when it could not be. */
  add(d1: D1Database, award: PointsAward): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ award, resolve, reject });
      if (this.waiting.length >= this.options.maxAwards) {
        void this.flush(d1);
      } else if (!this.timer) {
        // Awards that arrive before the timer fires ride on it: at most one timer is pending.
        this.timer = setTimeout(() => void this.flush(d1), this.options.maxWaitMs);
      }
    });
  }

  /** Writes every waiting award; settles each one's promise. Never rejects. */
  async flush(d1: D1Database): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting.splice(0);
    if (batch.length === 0) return;
    this.stats.flushes++;
    try {
      await d1.batch(batch.flatMap((w) => awardPointsOnceStatements(d1, w.award)));
      this.stats.awards += batch.length;
      for (const w of batch) w.resolve();
    } catch (err) {
      if (batch.length > 1)
        log.warn("points batch failed; writing its awards one by one", { awards: batch.length, error: err });
      await Promise.all(
        batch.map(async (w) => {
          try {
            await d1.batch(awardPointsOnceStatements(d1, w.award));
            this.stats.awards++;
            w.resolve();
          } catch (error) {
            w.reject(error);
          }
        }),
      );
    }
  }
}

/** The isolate's buffer for the queue consumer. */
export const pointsBuffer = new PointsBuffer({ maxAwards: 25, maxWaitMs: 10 });
