import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Metrics, percentile } from "./metrics.ts";

/** `GET /health` (200 while the relay runs; the Dockerfile's HEALTHCHECK) and `GET /metrics` (JSON). */
export async function startHttp(
  metrics: Metrics,
  port: number,
  host: string,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://relay").pathname;
    if (req.method !== "GET") {
      res.writeHead(405, { allow: "GET" }).end();
      return;
    }
    if (path === "/health") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: "ok", coordinator: metrics.coordinatorConnected }));
      return;
    }
    if (path === "/metrics") {
      const { latencies, ...counters } = metrics;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          ...counters,
          connections: metrics.discordShardsOpen + (metrics.twitchConnected ? 1 : 0),
          p99Ms: Math.round(percentile(latencies, 99) * 10) / 10,
          rssBytes: process.memoryUsage().rss,
        }),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address() as AddressInfo;
  return { url: `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${address.port}`, server };
}
