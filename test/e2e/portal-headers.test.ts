import { describe, expect, inject, it } from "vitest";

const origin = inject("urls").router;

/** The CSP as directive → sources. */
const directives = (csp: string | null) =>
  Object.fromEntries(
    (csp ?? "")
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name, sources]),
  );

describe("the portal's security headers (portal/public/_headers, applied by Workers Static Assets)", () => {
  it("sends a strict CSP, frame-ancestors 'none', nosniff and a referrer policy on / and on a deep link", async () => {
    for (const path of ["/", "/commands/whatever", "/members?x=1"]) {
      const res = await fetch(`${origin}${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain('<div id="root">');
      const csp = directives(res.headers.get("content-security-policy"));
      expect(csp["frame-ancestors"], path).toEqual(["'none'"]);
      expect(csp["default-src"], path).toEqual(["'self'"]);
      expect(csp["script-src"], path).toEqual(["'self'"]);
      expect(csp["object-src"], path).toEqual(["'none'"]);
      expect(csp["base-uri"], path).toEqual(["'none'"]);
      expect(JSON.stringify(csp), path).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      expect(res.headers.get("referrer-policy"), path).toBe("same-origin");
    }
  });

  it("sends them with the built scripts too, and never serves the _headers file itself", async () => {
    const html = await (await fetch(`${origin}/`)).text();
    const script = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`${origin}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get("x-content-type-options")).toBe("nosniff");
    const file = await (await fetch(`${origin}/_headers`)).text();
    expect(file).not.toContain("Content-Security-Policy:");
  });

  it("leaves the overlay pages to their own CSP, so OBS and the portal's preview can embed them", async () => {
    const res = await fetch(`${origin}/overlay/not-a-token/ticker`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-security-policy") ?? "").not.toContain("frame-ancestors");
  });
});
