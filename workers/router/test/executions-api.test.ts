import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { api, chat, fake, installModule, send, webhookAt } from "./support/router.ts";

type Page = {
  items: {
    command: string;
    status: string;
    engine: string;
    userId: string;
    durationMs: number;
    error: string | null;
  }[];
  nextOffset: number | null;
};

/** Audit rows are written after the reply (waitUntil): wait until `n` are visible. */
async function executions(base: string, authorization: string, n: number, query = "") {
  for (let i = 0; i < 100; i++) {
    const page = await api<Page>("GET", `${base}/executions${query}`, authorization);
    if (page.data.items.length >= n) return page;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("executions never appeared");
}

describe("executions audit API", () => {
  it("records every execution with community, user, command, engine, status, duration and error", async () => {
    const community = await createCommunity();
    const { authorization } = await createUserWithKey({ communityId: community.id, role: "moderator" });
    const base = `/api/v1/communities/${community.id}`;
    const hook = webhookAt();
    await fake.script({ method: "POST", path: hook.path, status: 200, body: "garbage" });
    await installModule(community.id, { engine: "webhook", config: hook.config, commands: ["broken"] });
    await send(chat(community, "!ping", { id: "alice" }));
    await send(chat(community, "!broken", { id: "bob" }));
    const page = await executions(base, authorization, 2);
    expect(page.data.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          command: "!ping",
          engine: "builtin",
          status: "success",
          userId: "alice",
          error: null,
        }),
        expect.objectContaining({ command: "!broken", engine: "webhook", status: "error", userId: "bob" }),
      ]),
    );
    const errors = await api<Page>("GET", `${base}/executions?status=error`, authorization);
    expect(errors.data.items.map((e) => e.command)).toEqual(["!broken"]);
    const alice = await api<Page>("GET", `${base}/executions?userId=alice&engine=builtin`, authorization);
    expect(alice.data.items.map((e) => e.command)).toEqual(["!ping"]);
  });

  it("pages with limit and offset, newest first", async () => {
    const community = await createCommunity();
    const { authorization } = await createUserWithKey({ communityId: community.id, role: "admin" });
    const base = `/api/v1/communities/${community.id}`;
    for (let i = 0; i < 5; i++) await send(chat(community, "!ping", { id: `u${i}` }));
    await executions(base, authorization, 5);
    const first = await api<Page>("GET", `${base}/executions?limit=2`, authorization);
    expect(first.data.items).toHaveLength(2);
    expect(first.data.nextOffset).toBe(2);
    const last = await api<Page>("GET", `${base}/executions?limit=2&offset=4`, authorization);
    expect(last.data.items).toHaveLength(1);
    expect(last.data.nextOffset).toBeNull();
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await api<Page>("GET", `${base}/executions?since=${future}`, authorization)).data.items).toEqual([]);
  });

  it("refuses bad filters with 400 and plain members with 403", async () => {
    const community = await createCommunity();
    const { authorization } = await createUserWithKey({ communityId: community.id, role: "admin" });
    const base = `/api/v1/communities/${community.id}/executions`;
    for (const q of ["?limit=0", "?limit=101", "?status=exploded", "?since=yesterday", "?offset=-1"]) {
      expect((await api("GET", base + q, authorization)).status, q).toBe(400);
    }
    const member = await createUserWithKey({ communityId: community.id, role: "member" });
    expect((await api("GET", base, member.authorization)).status).toBe(403);
  });
});
