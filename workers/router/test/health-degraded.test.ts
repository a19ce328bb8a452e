import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { call } from "../../../test/workerd/self.ts";

// Its own file: storage is isolated per file, so breaking D1 here touches no other test.
it("reports D1 as failing with 503 when the database cannot answer", async () => {
  await env.DB.prepare("DROP TABLE community_members").run();
  await env.DB.prepare("DROP TABLE community_platforms").run();
  await env.DB.prepare("DROP TABLE communities").run();
  const res = await call("/health/detailed");
  expect(res.status).toBe(503);
  const body = await res.json<{ status: string; failing: string[] }>();
  expect(body.status).toBe("degraded");
  expect(body.failing).toEqual(["d1"]);
});
