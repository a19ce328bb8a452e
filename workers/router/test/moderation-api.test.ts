import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { compilePattern } from "../src/moderation/matchers.ts";
import { api, chat, send } from "./support/router.ts";

async function setup(role: "admin" | "moderator" = "admin") {
  const community = await createCommunity();
  const { authorization } = await createUserWithKey({ communityId: community.id, role });
  return { community, authorization, base: `/api/v1/communities/${community.id}/moderation/rules` };
}
const rule = (extra: Record<string, unknown>) => ({ name: "r", matchType: "regex", action: "delete", ...extra });

describe("moderation rules admin API", () => {
  it("refuses regexes that need backtracking (backreferences, lookaround) with 400", async () => {
    const { authorization, base } = await setup();
    for (const pattern of ["(a*)*\\1", "^(?=a)a+$", "(?<!x)y"]) {
      const res = await api<{ path: string[] }[]>("POST", base, authorization, rule({ pattern }));
      expect(res.status, pattern).toBe(400);
      expect(res.data[0]?.path).toEqual(["pattern"]);
    }
    expect((await api<unknown[]>("GET", base, authorization)).data).toEqual([]);
  });

  it("refuses patterns longer than 200 characters and unbalanced ones", async () => {
    const { authorization, base } = await setup();
    expect((await api("POST", base, authorization, rule({ pattern: "a".repeat(201) }))).status).toBe(400);
    expect((await api("POST", base, authorization, rule({ pattern: "(abc" }))).status).toBe(400);
  });

  it("runs a catastrophic-backtracking regex like (a+)+$ in linear time (RE2), so a long message cannot hang", async () => {
    const { community, authorization, base } = await setup();
    expect((await api("POST", base, authorization, rule({ pattern: "(a+)+$" }))).status).toBe(201);
    // With a backtracking engine this input takes longer than the universe has left.
    const evil = `${"a".repeat(3_999)}!`;
    expect(compilePattern("regex", "(a+)+b", false).match(evil)).toBe(false);
    expect((await send(chat(community, evil))).status).toBe("ignored");
    expect((await send(chat(community, "aaaa"))).status).toBe("moderated");
  });

  it("checks that the action has what it needs and the options fit the match type", async () => {
    const { authorization, base } = await setup();
    const bad = [
      { name: "r", matchType: "contains", action: "delete" },
      { name: "r", matchType: "caps", pattern: "x", action: "delete" },
      { name: "r", matchType: "contains", pattern: "x", action: "reply" },
      { name: "r", matchType: "contains", pattern: "x", action: "command" },
      { name: "r", matchType: "contains", pattern: "x", action: "webhook" },
      { name: "r", matchType: "contains", pattern: "x", action: "timeout", actionConfig: { durationSec: 0 } },
      { name: "r", matchType: "contains", pattern: "x", action: "reply", actionConfig: { message: "{nope}" } },
      { name: "r", matchType: "links", action: "delete", options: { allowedDomains: ["not a domain"] } },
      { name: "r", matchType: "contains", pattern: "x", action: "delete", options: { unknownOption: 1 } },
      { name: "", matchType: "contains", pattern: "x", action: "delete" },
      { name: "r", matchType: "soundex", pattern: "x", action: "delete" },
    ];
    for (const body of bad)
      expect((await api("POST", base, authorization, body)).status, JSON.stringify(body)).toBe(400);
  });

  it("changes and deletes a rule; a PATCH that breaks it is refused and the rule stays", async () => {
    const { community, authorization, base } = await setup();
    const { data } = await api<{ id: string }>(
      "POST",
      base,
      authorization,
      rule({ matchType: "contains", pattern: "foo" }),
    );
    expect(
      (await api("PATCH", `${base}/${data.id}`, authorization, { matchType: "regex", pattern: "(?=x)" })).status,
    ).toBe(400);
    expect((await send(chat(community, "foo"))).status).toBe("moderated");
    expect((await api("PATCH", `${base}/${data.id}`, authorization, { enabled: false })).status).toBe(200);
    expect((await send(chat(community, "foo"))).status).toBe("ignored");
    expect((await api("DELETE", `${base}/${data.id}`, authorization)).status).toBe(200);
    expect((await api("DELETE", `${base}/${data.id}`, authorization)).status).toBe(404);
  });

  it("never returns a webhook action's secret", async () => {
    const { authorization, base } = await setup();
    const secret = "a-very-secret-value-1234";
    const res = await api("POST", base, authorization, {
      name: "hook",
      matchType: "contains",
      pattern: "x",
      action: "webhook",
      actionConfig: { url: "https://example.com/hook", secret },
    });
    expect(res.status).toBe(201);
    expect(JSON.stringify(res.data)).not.toContain(secret);
    expect(JSON.stringify((await api("GET", base, authorization)).data)).not.toContain(secret);
  });

  it("an edit without the write-only secret keeps it while the URL stays, and drops it with a new URL", async () => {
    const { authorization, base } = await setup();
    const created = await api<{ id: string }>("POST", base, authorization, {
      name: "hook",
      matchType: "contains",
      pattern: "x",
      action: "webhook",
      actionConfig: { url: "https://example.com/hook", secret: "a-very-secret-value-1234" },
    });
    const url = `${base}/${created.data.id}`;
    type Row = { name: string; actionConfig: { url?: string; secret?: string } };
    const same = await api<Row>("PATCH", url, authorization, {
      name: "renamed",
      actionConfig: { url: "https://example.com/hook" },
    });
    expect(same.status).toBe(200);
    expect(same.data.actionConfig).toEqual({ url: "https://example.com/hook", secret: "[set]" });
    const moved = await api<Row>("PATCH", url, authorization, { actionConfig: { url: "https://example.org/other" } });
    expect(moved.status).toBe(200);
    expect(moved.data.actionConfig).toEqual({ url: "https://example.org/other" });
  });

  it("lets moderators read rules but not write them", async () => {
    const { authorization, base } = await setup("moderator");
    expect((await api("GET", base, authorization)).status).toBe(200);
    expect((await api("POST", base, authorization, rule({ pattern: "x" }))).status).toBe(403);
  });
});
