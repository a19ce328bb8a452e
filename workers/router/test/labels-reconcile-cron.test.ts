import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { auditLog } from "../../../lib/db/schema/index.ts";
import { maybeReconcile } from "../src/labels/reconcile.ts";

// A file of its own: its database has no entity groups, so the reconcile enqueues nothing that
// would still be running when the file ends.
describe("the nightly reconcile", () => {
  it("runs from the hourly cron in the 04:00 UTC run only", async () => {
    const runs = async () =>
      (await createDb(env.DB).select().from(auditLog).where(eq(auditLog.action, "labels.reconcile"))).length;
    await maybeReconcile(env as never, Date.parse("2026-12-01T03:17:00Z"));
    expect(await runs()).toBe(0);
    await maybeReconcile(env as never, Date.parse("2026-12-01T04:17:00Z"));
    expect(await runs()).toBe(1);
  });
});
