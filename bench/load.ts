/**
 * The load generator every router benchmark row uses: one Node process, keep-alive HTTP over
 * loopback, bounded loops (a deadline for throughput, a count for latency). The bare Worker
 * and the router go through exactly this code, so their ratio compares the Workers alone.
 */
import { Agent, request } from "node:http";

export const CONCURRENCY = 32;

export const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

export function post(
  url: URL,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", ...headers, "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Requests per second at CONCURRENCY for `ms`. */
export async function throughput(url: URL, body: () => string, ms: number): Promise<number> {
  const deadline = performance.now() + ms;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const res = await post(url, body());
        if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.text.slice(0, 200)}`);
        done++;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

/** Per-request latencies (ms), one request at a time (no queueing in the numbers). */
export async function latencies(url: URL, body: () => string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const b = body();
    const t = performance.now();
    await post(url, b);
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

export const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
