import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, type Community, communityWith, MOD, say } from "./support.ts";

/** A community with memories and inventory, and catalogue labels made through the labels API. */
async function setup(...names: string[]) {
  const { community, authorization } = await communityWith("memories", "inventory");
  for (const name of names) {
    const res = await api("POST", `/api/v1/communities/${community.id}/labels`, authorization, { name });
    if (res.status !== 201) throw new Error(`creating label ${name} answered ${res.status}: ${res.message}`);
  }
  return { community, authorization };
}

const labelRows = async (community: Community, type: string) =>
  (
    await env.DB.prepare(
      `SELECT el.entity_id AS id, l.name FROM entity_labels el JOIN labels l ON l.id = el.label_id
       WHERE el.community_id = ? AND el.entity_type = ? ORDER BY el.entity_id, l.name`,
    )
      .bind(community.id, type)
      .all()
  ).results;

const audits = async (community: Community) =>
  (
    await env.DB.prepare(
      "SELECT action, target_type AS type FROM audit_log WHERE community_id = ? AND action LIKE 'module.%label' ORDER BY rowid",
    )
      .bind(community.id)
      .all()
  ).results;

describe("labels on memories and inventory items (the Labels Core)", () => {
  it("labels, shows, lists and unlabels quotes, notes and items on Discord and Twitch, audited", async () => {
    const { community, authorization } = await setup("funny", "Classic Bits", "rare");
    await say(community, "discord", "!quote add Never trust a penguin");
    await say(community, "twitch", "!quote add Fish are friends");
    expect(await say(community, "discord", "!quote label 1 FUNNY", MOD)).toEqual(["Quote #1 labelled funny."]);
    expect(await say(community, "twitch", "!quote label 2 funny", MOD)).toEqual(["Quote #2 labelled funny."]);
    expect(await say(community, "twitch", "!quote label 2 funny", MOD)).toEqual([
      "Quote #2 is already labelled funny.",
    ]);
    expect(await say(community, "twitch", "!quote 2")).toEqual(["#2: Fish are friends [funny]"]);
    expect(await say(community, "discord", "!quote tagged funny")).toEqual(["Quotes labelled funny: #1, #2"]);
    expect(await say(community, "discord", "!quote unlabel 1 funny", MOD)).toEqual(["Quote #1: label funny removed."]);
    expect(await say(community, "discord", "!quote 1")).toEqual(["#1: Never trust a penguin"]);

    await say(community, "twitch", "!note add rules Be kind", MOD);
    expect(await say(community, "twitch", "!note label rules funny", MOD)).toEqual(["note rules labelled funny."]);
    expect(await say(community, "discord", "!note rules")).toEqual(["rules: Be kind [funny]"]);
    expect(await say(community, "discord", "!note tagged funny")).toEqual(["Notes labelled funny: rules"]);
    expect(await say(community, "discord", "!url tagged funny")).toEqual(["No url is labelled funny."]);

    await say(community, "discord", "!inv add sword 2 @ada", MOD);
    expect(await say(community, "discord", "!inv label sword rare", MOD)).toEqual(["Item sword labelled rare."]);
    expect(await say(community, "twitch", "!inv tagged rare")).toEqual(["Items labelled rare: sword"]);
    expect(await say(community, "twitch", "!inv unlabel sword rare", MOD)).toEqual(["Item sword: label rare removed."]);
    expect(await say(community, "twitch", "!inv unlabel sword rare", MOD)).toEqual([
      "Item sword is not labelled rare.",
    ]);

    expect((await labelRows(community, "memory")).map((r) => r.name)).toEqual(["funny", "funny"]);
    // The labels API's search answers the new entity types.
    const found = await api<{ items: { entityType: string; name: string }[] }>(
      "GET",
      `/api/v1/communities/${community.id}/labels/search?labels=funny&type=memory`,
      authorization,
    );
    expect(found.status).toBe(200);
    expect(found.data.items.map((i) => i.name).sort()).toEqual(["note:rules", "quote #2"]);
    // Each real change has its audit row; the no-ops (already / not labelled) have none.
    expect(await audits(community)).toEqual([
      { action: "module.memories.label", type: "memory" },
      { action: "module.memories.label", type: "memory" },
      { action: "module.memories.unlabel", type: "memory" },
      { action: "module.memories.label", type: "memory" },
      { action: "module.inventory.label", type: "inventory_item" },
      { action: "module.inventory.unlabel", type: "inventory_item" },
    ]);
  });

  it("refuses an unknown label, the sixth label and a member's change; the store is unchanged", async () => {
    const { community } = await setup("a1", "a2", "a3", "a4", "a5", "a6");
    await say(community, "discord", "!quote add Ice");
    await say(community, "discord", "!inv add fish 1 community", MOD);
    expect(await say(community, "discord", "!quote label 1 nosuch", MOD)).toEqual([
      'There is no label "nosuch" in this community: create it first in the portal (Labels page) or with POST /api/v1/communities/{id}/labels.',
    ]);
    expect((await say(community, "twitch", "!quote tagged nosuch"))[0]).toMatch(/^There is no label "nosuch"/);
    for (const n of ["a1", "a2", "a3", "a4", "a5"])
      expect(await say(community, "twitch", `!quote label 1 ${n}`, MOD)).toEqual([`Quote #1 labelled ${n}.`]);
    expect(await say(community, "twitch", "!quote label 1 a6", MOD)).toEqual([
      "Quote #1 already has 5 labels, the most it can have: unlabel one first.",
    ]);
    expect(await say(community, "discord", "!quote unlabel 1 a1")).toEqual(["Only moderators can label quotes."]);
    expect(await say(community, "discord", "!inv label fish a1")).toEqual(["Only moderators can label items."]);
    expect(await say(community, "discord", "!note label rules a1")).toEqual(["Only moderators can label notes."]);
    expect(await say(community, "discord", "!inv label nothing a1", MOD)).toEqual([
      "No one in this community holds any nothing.",
    ]);
    expect(await say(community, "discord", "!quote label 9 a1", MOD)).toEqual(["There is no quote #9."]);
    expect((await say(community, "discord", "!quote label 1", MOD))[0]).toMatch(/^Usage: /);
    expect((await labelRows(community, "memory")).map((r) => r.name)).toEqual(["a1", "a2", "a3", "a4", "a5"]);
    expect(await labelRows(community, "inventory_item")).toEqual([]);
    expect(await audits(community)).toHaveLength(5);
  });

  it("shows labels in the portal's content and drops a quote's or note's labels when it is removed", async () => {
    const { community, authorization } = await setup("keep");
    for (const text of ["one", "two", "three"]) await say(community, "discord", `!quote add ${text}`);
    await say(community, "discord", "!note add a text", MOD);
    await say(community, "discord", "!inv add gem 1 @ada", MOD);
    for (const cmd of ["!quote label 1 keep", "!quote label 2 keep", "!quote label 3 keep", "!note label a keep"])
      await say(community, "slack", cmd, MOD);
    await say(community, "twitch", "!inv label gem keep", MOD);
    type Content = { quotes: { number: number; labels: string[] }[]; inventory: { item: string; labels: string[] }[] };
    const content = await api<Content>("GET", `/api/v1/communities/${community.id}/first-party/content`, authorization);
    expect(content.data.quotes.map((q) => [q.number, q.labels])).toEqual([
      [3, ["keep"]],
      [2, ["keep"]],
      [1, ["keep"]],
    ]);
    expect(content.data.inventory).toMatchObject([{ item: "gem", labels: ["keep"] }]);

    expect(await say(community, "discord", "!quote remove 1", MOD)).toEqual(["Quote #1 removed."]);
    const del = await api("DELETE", `/api/v1/communities/${community.id}/first-party/quotes/2`, authorization);
    expect(del.status, del.message).toBe(200);
    expect(await say(community, "discord", "!note remove a", MOD)).toEqual(["a removed."]);
    const three = await env.DB.prepare("SELECT id FROM memory_quotes WHERE community_id = ? AND number = 3")
      .bind(community.id)
      .first<{ id: string }>();
    expect(await labelRows(community, "memory")).toEqual([{ id: three!.id, name: "keep" }]);
  });

  it("bulk labels memories and item kinds atomically; one missing entity and none is applied", async () => {
    const { community, authorization } = await setup("bulk");
    await say(community, "discord", "!quote add one");
    await say(community, "twitch", "!url add docs https://example.com/docs", MOD);
    await say(community, "twitch", "!inv add gem 1 @ada", MOD);
    const quote = await env.DB.prepare("SELECT id FROM memory_quotes WHERE community_id = ?")
      .bind(community.id)
      .first<{ id: string }>();
    const bulk = (operations: unknown[]) =>
      api<{ applied: number }>("POST", `/api/v1/communities/${community.id}/labels/bulk`, authorization, {
        operations,
      });
    const good = [
      { op: "add", entityType: "memory", entityId: quote!.id, label: "bulk" },
      { op: "add", entityType: "memory", entityId: "url:docs", label: "bulk" },
      { op: "add", entityType: "inventory_item", entityId: "gem", label: "bulk" },
    ];
    const bad = await bulk([
      ...good,
      { op: "add", entityType: "inventory_item", entityId: "sword", label: "bulk" },
      { op: "add", entityType: "memory", entityId: "note:none", label: "bulk" },
      { op: "add", entityType: "module", entityId: "x", label: "bulk" },
    ]);
    expect(bad.status).toBe(400);
    expect((bad.data as unknown as { index: number }[]).map((i) => i.index)).toEqual([3, 4, 5]);
    expect(await labelRows(community, "memory")).toEqual([]);
    const res = await bulk(good);
    expect(res.status, res.message).toBe(200);
    expect(res.data.applied).toBe(3);
    expect(await say(community, "discord", "!url tagged bulk")).toEqual(["Links labelled bulk: docs"]);
    expect(await say(community, "discord", "!inv tagged bulk")).toEqual(["Items labelled bulk: gem"]);
  });
});
