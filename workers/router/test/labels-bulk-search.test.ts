import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { entityLabels } from "../../../lib/db/schema/index.ts";
import { addMember, addMembers, labelsSetup, storedLabels } from "./support/labels.ts";
import { installModule } from "./support/router.ts";

type Hit = { entityType: string; entityId: string; name: string; labels: string[] };
type Page = { items: Hit[]; page: number; pageSize: number; total: number };

describe("bulk label operations", () => {
  it("applies up to 1,000 operations in one request", async () => {
    const { call, community } = await labelsSetup();
    await call("POST", "/labels", { name: "a" });
    await call("POST", "/labels", { name: "b" });
    const users = await addMembers(community.id, 500);
    const operations = users.flatMap((userId) => [
      { op: "add", userId, label: "a" },
      { op: "add", userId, label: "B" },
    ]);
    const res = await call<{ applied: number; added: number }>("POST", "/labels/bulk", { operations });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ applied: 1000, added: 1000, removed: 0 });
    expect((await storedLabels(community.id)).length).toBe(1000);
    const off = await call("POST", "/labels/bulk", {
      operations: users.map((userId) => ({ op: "remove", userId, label: "a" })),
    });
    expect(off.data).toMatchObject({ removed: 500 });
    expect((await storedLabels(community.id)).length).toBe(500);
  });

  it("refuses 1,001 operations with 400 and applies none", async () => {
    const { call, community } = await labelsSetup();
    await call("POST", "/labels", { name: "a" });
    const userId = await addMember(community.id);
    const operations = Array.from({ length: 1001 }, () => ({ op: "add", userId, label: "a" }));
    const res = await call("POST", "/labels/bulk", { operations });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.data)).toMatch(/at most 1000 operations/);
    expect(await storedLabels(community.id)).toEqual([]);
  });

  it("is atomic: one invalid item and none applies, and every invalid item is listed with its index", async () => {
    const { call, community } = await labelsSetup();
    for (const name of ["a", "b", "c", "d", "e", "f"]) await call("POST", "/labels", { name });
    const alice = await addMember(community.id);
    const bob = await addMember(community.id);
    await call("POST", `/members/${bob}/labels`, { label: "f" });
    const before = await storedLabels(community.id);
    const operations = [
      { op: "add", userId: alice, label: "a" }, // 0 fine
      { op: "add", userId: alice, label: "nope" }, // 1 unknown label
      { op: "grant", userId: alice, label: "b" }, // 2 bad op
      { op: "add", userId: crypto.randomUUID(), label: "b" }, // 3 not a member
      { op: "add", userId: bob, label: "a" },
      { op: "add", userId: bob, label: "b" },
      { op: "add", userId: bob, label: "c" },
      { op: "add", userId: bob, label: "d" }, // bob now has 5 (f + a..d)
      { op: "add", userId: bob, label: "e" }, // 8 over the limit
      { op: "remove", userId: bob, label: "f" },
      "not an object", // 10
    ];
    const res = await call<{ index: number; reason: string }[]>("POST", "/labels/bulk", { operations });
    expect(res.status).toBe(400);
    expect(res.message).toMatch(/5 of the operations are invalid: none was applied/);
    expect(res.data.map((i) => i.index)).toEqual([1, 2, 3, 8, 10]);
    expect(res.data[0]?.reason).toMatch(/no label "nope"/);
    expect(res.data[1]?.reason).toMatch(/^op:/);
    expect(res.data[2]?.reason).toMatch(/not a member/);
    expect(res.data[3]?.reason).toMatch(/at most 5 labels/);
    expect(await storedLabels(community.id)).toEqual(before);
  });

  it("is one D1 transaction: a failure inside D1 mid-batch leaves the store as it was", async () => {
    const { call, community } = await labelsSetup();
    for (const name of ["a", "b"]) await call("POST", "/labels", { name });
    const [u1, u2] = await addMembers(community.id, 2);
    await call("POST", `/members/${u1}/labels`, { label: "a" });
    const before = await storedLabels(community.id);
    // A real failure inside D1 (no mock): inserting u2's label aborts, after u1's removal ran.
    await env.DB.exec(
      `CREATE TRIGGER fail_bulk_insert BEFORE INSERT ON entity_labels WHEN NEW.entity_id = '${u2}' BEGIN SELECT RAISE(ABORT, 'disk full'); END;`,
    );
    try {
      const res = await call("POST", "/labels/bulk", {
        operations: [
          { op: "remove", userId: u1, label: "a" },
          { op: "add", userId: u1, label: "b" },
          { op: "add", userId: u2, label: "b" },
        ],
      });
      expect(res.status).toBe(500);
    } finally {
      await env.DB.exec("DROP TRIGGER fail_bulk_insert;");
    }
    expect(await storedLabels(community.id)).toEqual(before);
  });

  it("counts the limit as the earlier items leave it: remove then add fits", async () => {
    const { call, community } = await labelsSetup();
    for (const name of ["a", "b", "c", "d", "e", "f"]) await call("POST", "/labels", { name });
    const u = await addMember(community.id);
    for (const label of ["a", "b", "c", "d", "e"]) await call("POST", `/members/${u}/labels`, { label });
    const res = await call("POST", "/labels/bulk", {
      operations: [
        { op: "remove", userId: u, label: "a" },
        { op: "add", userId: u, label: "f" },
      ],
    });
    expect(res.status).toBe(200);
    expect((await storedLabels(community.id)).map((s) => s.split(":")[2])).toEqual(["b", "c", "d", "e", "f"]);
  });
});

describe("label search", () => {
  it("finds users, modules and the community by label, paged in a stable order", async () => {
    const { call, community } = await labelsSetup();
    await call("POST", "/labels", { name: "Gold" });
    await call("POST", "/labels", { name: "Silver" });
    const users = [];
    for (let i = 0; i < 7; i++) users.push(await addMember(community.id, `User ${i}`));
    await call("POST", "/labels/bulk", { operations: users.map((userId) => ({ op: "add", userId, label: "gold" })) });
    await call("POST", `/members/${users[0]}/labels`, { label: "silver" });
    const mod = await installModule(community.id, {
      engine: "builtin",
      config: { handler: "trivia" },
      commands: ["!trivia"],
    });
    await call("PUT", `/labels/modules/${mod.id}`, { labels: ["gold"] });
    await call("PUT", "/labels/community", { labels: ["silver"] });

    const p1 = await call<Page>("GET", "/labels/search?labels=gold&type=user&pageSize=3");
    expect(p1.status).toBe(200);
    expect(p1.data).toMatchObject({ page: 1, pageSize: 3, total: 7 });
    expect(p1.data.items.map((h) => h.name)).toEqual(["User 0", "User 1", "User 2"]);
    const p3 = await call<Page>("GET", "/labels/search?labels=gold&type=user&pageSize=3&page=3");
    expect(p3.data.items.map((h) => h.name)).toEqual(["User 6"]);

    const any = await call<Page>("GET", "/labels/search?labels=GOLD,silver");
    expect(any.data.total).toBe(9); // 7 users, the module, the community
    expect((await call<Page>("GET", "/labels/search")).data.total).toBe(9);
    expect(any.data.items.map((h) => h.entityType)).toContain("module");
    expect(any.data.items.find((h) => h.entityType === "community")?.entityId).toBe(community.id);
    const all = await call<Page>("GET", "/labels/search?labels=gold,silver&match=all");
    expect(all.data.items.map((h) => [h.name, h.labels])).toEqual([["User 0", ["Gold", "Silver"]]]);
  });

  it("refuses an empty label list, a page size over 100 and an unknown type with 400", async () => {
    const { call } = await labelsSetup();
    expect((await call("GET", "/labels/search")).status).toBe(200); // no filter: every labelled entity
    for (const q of ["?labels=", "?labels=,", "?labels=a&pageSize=101", "?labels=a&type=bot", "?labels=a&page=0"]) {
      expect((await call("GET", `/labels/search${q}`)).status, q).toBe(400);
    }
  });

  it("answers from its cache until a label write in the community invalidates it", async () => {
    const { call, community } = await labelsSetup();
    const gold = await call<{ id: string }>("POST", "/labels", { name: "gold" });
    const a = await addMember(community.id, "A");
    const b = await addMember(community.id, "B");
    await call("POST", `/members/${a}/labels`, { label: "gold" });
    expect((await call<Page>("GET", "/labels/search?labels=gold")).data.total).toBe(1);
    // Written behind the API's back: the cached answer does not see it...
    await createDb(env.DB)
      .insert(entityLabels)
      .values({ communityId: community.id, labelId: gold.data.id, entityType: "user", entityId: b });
    expect((await call<Page>("GET", "/labels/search?labels=gold")).data.total).toBe(1);
    // ...until any label write in the community drops the community's cached answers.
    await call("POST", "/labels", { name: "unrelated" });
    expect((await call<Page>("GET", "/labels/search?labels=gold")).data.total).toBe(2);
    await call("DELETE", `/members/${a}/labels/${gold.data.id}`);
    expect((await call<Page>("GET", "/labels/search?labels=gold")).data.items.map((h) => h.name)).toEqual(["B"]);
  });
});
