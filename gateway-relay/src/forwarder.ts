import { type RelayEvent, relaySignature } from "../../lib/relay/protocol.ts";
import { type Metrics, recordLatency } from "./metrics.ts";

interface Pending {
  event: RelayEvent;
  receivedAt: number;
}

interface ForwarderOptions {
  webhooksUrl: string;
  secret: string;
  bufferSize: number;
  metrics: Metrics;
  /** Parallel requests in flight (the worker dedupes by id, so order across events is not a contract). */
  concurrency?: number;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

/**
 * At-least-once delivery to `POST /relay/events`: every event waits in a bounded in-memory
 * buffer until the worker answers 202; while it is unreachable (network error, 5xx, 429) the
 * same event is retried with exponential backoff, so nothing is lost to an outage shorter
 * than the buffer. When the buffer is full the oldest event is dropped and counted. A 4xx
 * other than 429 means this event can never be accepted (bad signature, invalid event): it is
 * logged, counted as rejected and not retried. The worker's dedupe turns retries into exactly once.
 */
export class Forwarder {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private backoffMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly idle: (() => void)[] = [];

  private readonly opts: ForwarderOptions;

  constructor(opts: ForwarderOptions) {
    this.opts = opts;
  }

  send(event: RelayEvent, receivedAt = performance.now()): void {
    const m = this.opts.metrics;
    m.eventsReceived++;
    if (this.queue.length >= this.opts.bufferSize) {
      this.queue.shift();
      m.dropped++;
    }
    this.queue.push({ event, receivedAt });
    m.bufferDepth = this.queue.length + this.inFlight;
    this.pump();
  }

  /** Resolves when every buffered event has been accepted (tests, graceful shutdown). */
  drained(): Promise<void> {
    if (!this.queue.length && !this.inFlight) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private pump(): void {
    if (this.stopped || this.timer) return;
    const limit = this.backoffMs ? 1 : (this.opts.concurrency ?? 16);
    while (this.inFlight < limit && this.queue.length) {
      const next = this.queue.shift()!;
      this.inFlight++;
      void this.deliver(next);
    }
  }

  private async deliver(item: Pending): Promise<void> {
    const m = this.opts.metrics;
    let retry = false;
    try {
      const status = await this.post(item.event);
      if (status === 202) {
        m.eventsForwarded++;
        recordLatency(m, performance.now() - item.receivedAt);
        this.backoffMs = 0;
      } else if (status === 429 || status >= 500) {
        retry = true;
      } else {
        m.eventsRejected++;
        this.opts.log?.("relay: event refused by the webhooks worker", { status, id: item.event.id });
      }
    } catch (error) {
      retry = true;
      if (!this.backoffMs) this.opts.log?.("relay: webhooks worker unreachable, buffering", { error: String(error) });
    }
    this.inFlight--;
    if (retry) {
      m.retries++;
      // Back in front: the oldest event goes out first once the worker is back.
      this.queue.unshift(item);
      this.backoffMs = Math.min(5_000, this.backoffMs ? this.backoffMs * 2 : 250);
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, this.backoffMs);
    }
    m.bufferDepth = this.queue.length + this.inFlight;
    if (!this.queue.length && !this.inFlight) for (const done of this.idle.splice(0)) done();
    this.pump();
  }

  private async post(event: RelayEvent): Promise<number> {
    const body = JSON.stringify(event);
    const res = await fetch(`${this.opts.webhooksUrl}/relay/events`, {
      method: "POST",
      body,
      headers: { "content-type": "application/json", ...(await relaySignature(this.opts.secret, body)) },
      signal: AbortSignal.timeout(10_000),
    });
    await res.body?.cancel();
    return res.status;
  }
}
