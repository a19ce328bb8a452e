import { introspectWorkflow, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextRun } from "../../../../durable-objects/workflow-scheduler.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { workflowExecutions } from "../../../../lib/db/schema/index.ts";
import { createCommunity } from "../../../../test/workerd/fixtures.ts";
import { graph, publishedWorkflow } from "./support.ts";

let introspector: Awaited<ReturnType<typeof introspectWorkflow>>;
beforeAll(async () => {
  introspector = await introspectWorkflow(env.WORKFLOW_RUNNER);
  await introspector.modifyAll(async (m) => m.disableSleeps());
});
afterAll(() => introspector[Symbol.asyncDispose]());

const MIN = 60_000;
const scheduler = (communityId: string) => env.WORKFLOW_SCHEDULER.get(env.WORKFLOW_SCHEDULER.idFromName(communityId));
const runs = (workflowId: string) =>
  createDb(env.DB).select().from(workflowExecutions).where(eq(workflowExecutions.workflowId, workflowId));

async function scheduled() {
  const c = await createCommunity();
  const workflowId = await publishedWorkflow(
    c.id,
    graph([["t", "trigger_schedule", { schedule: { kind: "interval", intervalSeconds: 60 } }]], []),
  );
  return { communityId: c.id, workflowId, stub: scheduler(c.id) };
}

/** Moves a schedule's next run into the past, as if the object had been asleep. */
async function backdate(stub: ReturnType<typeof scheduler>, workflowId: string, at: number) {
  await runInDurableObject(stub, async (_o, state) => {
    state.storage.sql.exec("UPDATE schedules SET next_at = ? WHERE workflow_id = ?", at, workflowId);
    await state.storage.setAlarm(at);
  });
}

describe("workflow scheduler", () => {
  it("computes the next run of cron, interval and one-time schedules", () => {
    const t = Date.parse("2026-12-01T10:00:30Z");
    expect(new Date(nextRun({ kind: "cron", cron: "*/15 * * * *" }, t, null)!).toISOString()).toBe(
      "2026-12-01T10:15:00.000Z",
    );
    expect(
      new Date(nextRun({ kind: "cron", cron: "0 9 * * *", timezone: "Europe/Berlin" }, t, null)!).toISOString(),
    ).toBe("2026-12-02T08:00:00.000Z");
    expect(nextRun({ kind: "interval", intervalSeconds: 60 }, t, null)).toBe(t + MIN);
    // Coalescing: five missed slots give one next slot on the grid, after now.
    expect(nextRun({ kind: "interval", intervalSeconds: 60 }, t, t - 5 * MIN)).toBe(t + MIN);
    expect(nextRun({ kind: "once", at: "2026-12-01T10:05:00Z" }, t, null)).toBe(Date.parse("2026-12-01T10:05:00Z"));
    expect(nextRun({ kind: "once", at: "2026-12-01T10:05:00Z" }, t, Date.parse("2026-12-01T10:05:00Z"))).toBeNull();
  });

  it("runs a missed run inside the grace period once, coalescing the rest, and re-arms", async () => {
    const { communityId, workflowId, stub } = await scheduled();
    await stub.setSchedule(communityId, workflowId, { kind: "interval", intervalSeconds: 60 });
    await backdate(stub, workflowId, Date.now() - 10 * MIN);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await runs(workflowId)).toHaveLength(1);
    const [s] = await stub.list();
    expect(s!.count).toBe(1);
    expect(s!.nextAt!).toBeGreaterThan(Date.now());
    // Nothing is due now: another alarm run starts nothing.
    await runDurableObjectAlarm(stub);
    expect(await runs(workflowId)).toHaveLength(1);
  });

  it("skips a run missed by more than the grace period (15 minutes), without dropping the schedule", async () => {
    const { communityId, workflowId, stub } = await scheduled();
    await stub.setSchedule(communityId, workflowId, { kind: "interval", intervalSeconds: 60 });
    await backdate(stub, workflowId, Date.now() - 16 * MIN);
    await runDurableObjectAlarm(stub);
    expect(await runs(workflowId)).toEqual([]);
    expect((await stub.list())[0]!.nextAt!).toBeGreaterThan(Date.now());
  });

  it("stops an interval at its max count and a one-time schedule after its run", async () => {
    const { communityId, workflowId, stub } = await scheduled();
    await stub.setSchedule(communityId, workflowId, { kind: "interval", intervalSeconds: 60, maxCount: 2 });
    for (let i = 0; i < 2; i++) {
      await backdate(stub, workflowId, Date.now() - MIN);
      await runDurableObjectAlarm(stub);
    }
    expect(await runs(workflowId)).toHaveLength(2);
    expect(await stub.list()).toEqual([]);

    const once = await scheduled();
    await once.stub.setSchedule(once.communityId, once.workflowId, {
      kind: "once",
      at: new Date(Date.now() + 60 * MIN).toISOString(),
    });
    await backdate(once.stub, once.workflowId, Date.now() - 1000);
    await runDurableObjectAlarm(once.stub);
    expect(await runs(once.workflowId)).toHaveLength(1);
    expect(await once.stub.list()).toEqual([]);
  });

  it("removing a schedule clears the alarm", async () => {
    const { communityId, workflowId, stub } = await scheduled();
    await stub.setSchedule(communityId, workflowId, { kind: "interval", intervalSeconds: 60 });
    await stub.setSchedule(communityId, workflowId, null);
    expect(await runDurableObjectAlarm(stub)).toBe(false);
  });
});
