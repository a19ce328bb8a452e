import { request } from "node:http";
import { describe, expect, inject, it } from "vitest";

const urls = inject("urls");
const communityId = inject("demoCommunityId");
const authorization = `Bearer ${inject("adminApiKey")}`;

/**
 * POSTs `text` with Transfer-Encoding: chunked (no Content-Length) over real HTTP and returns the
 * answer. A server that refuses mid-body answers and closes while chunks are still being written,
 * so a write error after the answer has arrived is expected, not a failure (fetch would surface
 * that race as EPIPE instead of the 413).
 */
function postChunked(url: string, headers: Record<string, string>, text: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    let answered = false;
    const req = request(url, { method: "POST", headers }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", (err) => {
      if (!answered) reject(err);
    });
    const bytes = Buffer.from(text);
    const writeFrom = (offset: number): void => {
      if (answered || req.destroyed) return;
      if (offset >= bytes.length) return void req.end();
      const ok = req.write(bytes.subarray(offset, offset + 4096));
      if (ok) setImmediate(writeFrom, offset + 4096);
      else req.once("drain", () => writeFrom(offset + 4096));
    };
    writeFrom(0);
  });
}

describe("API gateway duties over HTTP", () => {
  it("refuses a chunked body past 64 KiB with 413 on the router and on the identity worker; nothing is written", async () => {
    const name = `chunk${Date.now() % 1e6}`;
    const padded = JSON.stringify({ name, response: "hi", pad: "x".repeat(70 * 1024) });
    for (const url of [`${urls.router}/api/v1/communities/${communityId}/commands`, `${urls.identity}/api/v1/keys`]) {
      const res = await postChunked(url, { authorization, "content-type": "application/json" }, padded);
      expect(res.status, url).toBe(413);
      expect(JSON.parse(res.body)).toMatchObject({ success: false });
    }
    const list = await fetch(`${urls.router}/api/v1/communities/${communityId}/commands`, {
      headers: { authorization },
    });
    const names = ((await list.json()) as { data: { name: string }[] }).data.map((c) => c.name);
    expect(names).not.toContain(name);
  });

  it("answers a configured origin's preflight with 204 and a foreign one with no ACAO header", async () => {
    const preflight = (origin: string) =>
      fetch(`${urls.router}/api/v1/communities/${communityId}/commands`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization" },
      });
    const allowed = await preflight("https://tools.waddlebot.test");
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://tools.waddlebot.test");
    const foreign = await preflight("https://evil.example");
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  });
});
