import { describe, expect, inject, it } from "vitest";

const urls = inject("urls");

describe("the local system, over HTTP", () => {
  for (const [name, url] of Object.entries(urls)) {
    it(`${name}: /health answers 200`, async () => {
      const res = await fetch(`${url}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ status: "ok", service: name });
    });

    it(`${name}: /health/detailed shows D1, the Durable Object and every binding ok`, async () => {
      const res = await fetch(`${url}/health/detailed`);
      const body = (await res.json()) as { status: string; checks: Record<string, { status: string }> };
      expect(res.status).toBe(200);
      expect(body.status).toBe("ok");
      expect(body.checks.d1?.status).toBe("ok");
      expect(body.checks.durableObject?.status).toBe("ok");
    });
  }

  it("serves each worker on its own port", () => {
    const ports = new Set(Object.values(urls).map((u) => new URL(u).port));
    expect(ports.size).toBe(Object.keys(urls).length);
    expect(ports.size).toBe(4);
  });
});
