import { describe, expect, inject, it } from "vitest";

const urls = inject("urls");
const communityId = inject("demoCommunityId");
const authorization = `Bearer ${inject("adminApiKey")}`;

/** A body sent with Transfer-Encoding: chunked (no Content-Length), over real HTTP. */
function chunkedBody(text: string) {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 4096));
      offset += 4096;
    },
  });
}

describe("API gateway duties over HTTP", () => {
  it("refuses a chunked body past 64 KiB with 413 on the router and on the identity worker; nothing is written", async () => {
    const name = `chunk${Date.now() % 1e6}`;
    const padded = JSON.stringify({ name, response: "hi", pad: "x".repeat(70 * 1024) });
    for (const url of [`${urls.router}/api/v1/communities/${communityId}/commands`, `${urls.identity}/api/v1/keys`]) {
      const res = await fetch(url, {
        method: "POST",
        headers: { authorization, "content-type": "application/json" },
        body: chunkedBody(padded),
        duplex: "half",
      } as RequestInit);
      expect(res.status, url).toBe(413);
      expect(await res.json()).toMatchObject({ success: false });
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
