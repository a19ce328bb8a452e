/**
 * The /health/detailed disclosure rule, for every worker's test project: with D1 broken, an
 * operator (global admin session, core service key) reads the error text; everyone else gets
 * the statuses and the same 503. It breaks D1 (and mends it afterwards), so call it from a
 * test file of its own.
 */
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUserWithKey } from "./fixtures.ts";
import { serviceKey, sessionCookie } from "./operators.ts";
import { call } from "./self.ts";

const BROKEN = "communities_broken_by_health_test";

type Detailed = { status: string; failing: string[]; checks: Record<string, { status: string; error?: string }> };

export function degradedHealthSpec() {
  describe("GET /health/detailed while D1 cannot answer", () => {
    let operators: { session: string; core: string };
    let others: Record<string, Record<string, string>>;

    beforeAll(async () => {
      // Callers first: signing in needs the tables the break below leaves alone (users, sessions, keys).
      operators = { session: await sessionCookie("admin"), core: await serviceKey("core") };
      others = {
        anonymous: {},
        "a wrong key": { authorization: "Bearer wbk_notarealkey" },
        "a signed-in non-admin": { cookie: await sessionCookie("user") },
        "an action service key": { authorization: await serviceKey("action") },
        // A personal key is not an operator credential, even a global admin's (keys leak into scripts).
        "a global admin's API key": { authorization: (await createUserWithKey({ globalRole: "admin" })).authorization },
      };
      // Renamed away, not dropped, and put back after: the break is real (no such table), yet
      // leaves the storage as it was for whatever runs next in the same runtime.
      await env.DB.prepare(`ALTER TABLE communities RENAME TO ${BROKEN}`).run();
    });
    afterAll(async () => {
      await env.DB.prepare(`ALTER TABLE ${BROKEN} RENAME TO communities`).run();
    });

    it("answers 503 naming D1, with the error text, to a global admin's session", async () => {
      const res = await call("/health/detailed", { headers: { cookie: operators.session } });
      expect(res.status).toBe(503);
      const body = await res.json<Detailed>();
      expect(body.status).toBe("degraded");
      expect(body.failing).toEqual(["d1"]);
      expect(body.checks.d1?.error).toMatch(/no such table: communities/);
    });

    it("shows the error text to a core service key", async () => {
      const res = await call("/health/detailed", { headers: { authorization: operators.core } });
      expect(res.status).toBe(503);
      expect((await res.json<Detailed>()).checks.d1?.error).toMatch(/no such table/);
    });

    it("gives every other caller the statuses and the 503, never the error text", async () => {
      for (const [who, headers] of Object.entries(others)) {
        const res = await call("/health/detailed", { headers });
        expect(res.status, who).toBe(503);
        const text = await res.text();
        expect(text, who).not.toContain("no such table");
        const body = JSON.parse(text) as Detailed;
        expect(body.failing, who).toEqual(["d1"]);
        expect(body.checks.d1, who).toEqual({ status: "fail" });
      }
    });
  });
}
