// Its own file: storage is per file, so the catalogue is not seeded yet when the test starts.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { api } from "./support.ts";

describe("the official catalogue", () => {
  it("leaves a name someone else's module already has alone (not official, not overwritten)", async () => {
    const author = await createUserWithKey({});
    await env.DB.prepare(
      `INSERT INTO modules (id, name, engine, config, commands, triggers, priority, parallel, author_id, description, categories, labels, latest_version, search_text, created_at, updated_at)
       VALUES (?, 'timers', 'webhook', '{}', '[]', '[]', 100, 0, ?, 'not ours', '[]', '[]', '1.0.0', 'timers', 0, 0)`,
    )
      .bind(crypto.randomUUID(), author.userId)
      .run();
    const res = await api<{ items: { name: string; official: boolean; description: string }[] }>(
      "GET",
      "/api/v1/marketplace/modules?pageSize=50",
      author.authorization,
    );
    const timers = res.data.items.find((m) => m.name === "timers");
    expect(timers).toMatchObject({ official: false, description: "not ours" });
    expect(res.data.items.find((m) => m.name === "counters")?.official).toBe(true);
  });
});
