import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { commandExecutions, communities } from "../../../lib/db/schema/index.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { ExecutionAuditBuffer, type ExecutionRow } from "../src/executions/audit-buffer.ts";
import { chat, send, texts } from "./support/router.ts";

const db = () => createDb(env.DB);

function row(communityId: string, n: number): ExecutionRow {
  return {
    id: crypto.randomUUID(),
    communityId,
    eventId: `e-${n}`,
    platform: "discord",
    userId: `u-${n}`,
    command: "!ping",
    moduleId: null,
    engine: "builtin",
    status: "success",
    durationMs: n,
    error: null,
    createdAt: new Date(),
  };
}

const stored = async (communityId: string) =>
  (await db().select().from(commandExecutions).where(eq(commandExecutions.communityId, communityId))).length;

afterEach(() => vi.restoreAllMocks());

describe("execution audit (batched per isolate)", () => {
  it("writes a flush of 1,000 rows (one statement, one bound value: D1 takes 100 per statement)", async () => {
    const { id } = await createCommunity();
    const buffer = new ExecutionAuditBuffer({ maxRows: 1_000, maxWaitMs: 5 });
    const ctx = createExecutionContext();
    for (let i = 0; i < 1_000; i++) buffer.add(env.DB, ctx, row(id, i));
    await waitOnExecutionContext(ctx);
    expect(await stored(id)).toBe(1_000);
  });

  it("keeps text that looks like a number as text", async () => {
    const { id } = await createCommunity();
    const buffer = new ExecutionAuditBuffer({ maxRows: 1, maxWaitMs: 5 });
    const ctx = createExecutionContext();
    buffer.add(env.DB, ctx, { ...row(id, 3), userId: "00123", command: "!42", error: "1e3" });
    await waitOnExecutionContext(ctx);
    const got = await env.DB.prepare(
      "SELECT typeof(user_id) AS u, user_id, command, error, typeof(duration_ms) AS d FROM command_executions WHERE community_id = ?",
    )
      .bind(id)
      .first();
    expect(got).toEqual({ u: "text", user_id: "00123", command: "!42", error: "1e3", d: "integer" });
  });

  it("writes every row of a burst larger than a batch, the remainder by the timer", async () => {
    const { id } = await createCommunity();
    const buffer = new ExecutionAuditBuffer({ maxRows: 50, maxWaitMs: 5 });
    const ctx = createExecutionContext();
    for (let i = 0; i < 123; i++) buffer.add(env.DB, ctx, row(id, i));
    await waitOnExecutionContext(ctx);
    expect(buffer.pending).toBe(0);
    expect(await stored(id)).toBe(123);
  });

  it("stores every column as the schema maps it (time, boolean, null, a default left out)", async () => {
    const { id } = await createCommunity();
    const buffer = new ExecutionAuditBuffer({ maxRows: 2, maxWaitMs: 5 });
    const ctx = createExecutionContext();
    const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
    const plain = { ...row(id, 7), createdAt: at };
    const tried = { ...row(id, 8), simulated: true, error: "boom", moduleId: null, createdAt: at };
    buffer.add(env.DB, ctx, plain);
    buffer.add(env.DB, ctx, tried);
    await waitOnExecutionContext(ctx);
    const rows = await db().select().from(commandExecutions).where(eq(commandExecutions.communityId, id));
    const byEvent = Object.fromEntries(rows.map((r) => [r.eventId, r]));
    expect(byEvent["e-7"]).toEqual({ ...plain, simulated: false });
    expect(byEvent["e-8"]).toEqual(tried);
  });

  it("writes a single row on its own once the timer fires", async () => {
    const { id } = await createCommunity();
    const buffer = new ExecutionAuditBuffer({ maxRows: 50, maxWaitMs: 5 });
    const ctx = createExecutionContext();
    buffer.add(env.DB, ctx, row(id, 1));
    await waitOnExecutionContext(ctx);
    expect(await stored(id)).toBe(1);
  });

  it("logs a row that cannot be written, with its content, and still writes the others", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const { id } = await createCommunity();
    const buffer = new ExecutionAuditBuffer({ maxRows: 10, maxWaitMs: 5 });
    const ctx = createExecutionContext();
    for (let i = 0; i < 9; i++) buffer.add(env.DB, ctx, row(id, i));
    // No such community: the foreign key refuses this row, and with it the whole batch.
    buffer.add(env.DB, ctx, { ...row(crypto.randomUUID(), 99), eventId: "e-orphan" });
    await waitOnExecutionContext(ctx);
    expect(await stored(id)).toBe(9);
    const lines = errors.mock.calls.map((c) => String(c[0]));
    expect(lines.filter((l) => l.includes("execution audit row lost"))).toHaveLength(1);
    expect(lines.find((l) => l.includes("execution audit row lost"))).toContain("e-orphan");
  });

  it("answers the command when its audit write fails (the failure is only logged)", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const community = await createCommunity();
    expect(texts(await send(chat(community, "!ping")))).toEqual(["pong"]);
    // The community goes while the router still has it cached: its next audit row has no parent.
    await db().delete(communities).where(eq(communities.id, community.id));
    const user = { id: `u-gone-${crypto.randomUUID().slice(0, 6)}` };
    expect(texts(await send(chat(community, "!ping", user)))).toEqual(["pong"]);
    await vi.waitFor(() => expect(errors.mock.calls.map((c) => String(c[0])).join("\n")).toContain(user.id), {
      timeout: 5_000,
      interval: 20,
    });
  });
});
