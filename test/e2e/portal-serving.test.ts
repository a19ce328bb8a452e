import { readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { generateApiTypes, TYPES_FILE } from "../../scripts/openapi-types.ts";

const origin = inject("urls").router;

describe("the portal is served by the router", () => {
  it("answers the app at / and at any deep link (single-page app)", async () => {
    for (const path of ["/", "/commands/whatever"]) {
      const res = await fetch(`${origin}${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain('<div id="root">');
    }
  });

  it("keeps the API, overlays and health in the worker (never the app's index.html)", async () => {
    const api = await fetch(`${origin}/api/v1/no-such-endpoint`);
    expect(api.status).toBe(404);
    expect(api.headers.get("content-type")).toContain("application/json");
    expect((await fetch(`${origin}/overlay/not-a-token/ticker`)).status).toBe(404);
    expect(await (await fetch(`${origin}/health`)).json()).toMatchObject({ status: "ok", service: "router" });
  });

  it("loads nothing from another host: every script and stylesheet is same-origin", async () => {
    const html = await (await fetch(`${origin}/`)).text();
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref, ref).toMatch(/^(\/|data:)/);
  });
});

describe("the portal's typed API client", () => {
  it("is generated from the current OpenAPI document (run `npm run api:types` when this fails)", async () => {
    const doc = await (await fetch(`${origin}/api/v1/openapi.json`)).json();
    expect(readFileSync(TYPES_FILE, "utf8")).toBe(await generateApiTypes(doc));
  });
});
