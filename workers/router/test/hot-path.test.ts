import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";

describe("hot path: per-isolate work done once", () => {
  it("builds one drizzle client per D1 binding, not one per call", () => {
    const db = createDb(env.DB);
    expect(createDb(env.DB)).toBe(db);
    // A session (or any other binding object) is a different database handle: its own client.
    const session = env.DB.withSession();
    expect(createDb(session)).not.toBe(db);
    expect(createDb(session)).toBe(createDb(session));
  });
});
