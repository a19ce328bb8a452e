import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { commands, moderationRules } from "../../../lib/db/schema/index.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";
import { api } from "./support/router.ts";

/** PATCH merges the validated body (issue 10, item 17): extra fields never land; fields left out keep their value. */
async function setup() {
  const community = await createCommunity();
  const other = await createCommunity();
  const { authorization } = await createUserWithKey({ communityId: community.id, role: "admin" });
  return { community, other, authorization };
}

describe("PATCH /commands/{commandId} merges only the validated body", () => {
  it("drops fields the schema does not know (communityId, id, createdAt) and keeps fields left out", async () => {
    const { community, other, authorization } = await setup();
    const base = `/api/v1/communities/${community.id}/commands`;
    const created = await api<{ id: string }>("POST", base, authorization, {
      name: `p${crypto.randomUUID().slice(0, 6)}`,
      response: "hi",
      enabled: false,
      userCooldownSec: 30,
      disabledChannels: ["c-1"],
    });
    expect(created.status).toBe(201);
    const before = await createDb(env.DB).select().from(commands).where(eq(commands.id, created.data.id)).get();
    const res = await api("PATCH", `${base}/${created.data.id}`, authorization, {
      description: "changed",
      communityId: other.id,
      id: crypto.randomUUID(),
      createdAt: "2000-01-01T00:00:00.000Z",
      usageCount: 999,
    });
    expect(res.status).toBe(200);
    const after = await createDb(env.DB).select().from(commands).where(eq(commands.id, created.data.id)).get();
    expect(after).toEqual({ ...before, description: "changed", updatedAt: after!.updatedAt });
  });

  it("refuses a body that is not declared as JSON instead of merging it unvalidated", async () => {
    const { community, authorization } = await setup();
    const base = `/api/v1/communities/${community.id}/commands`;
    const created = await api<{ id: string }>("POST", base, authorization, { name: "plain", response: "hi" });
    const before = await createDb(env.DB).select().from(commands).where(eq(commands.id, created.data.id)).get();
    const res = await call(`${base}/${created.data.id}`, {
      method: "PATCH",
      headers: { authorization, "content-type": "text/plain" },
      body: JSON.stringify({ response: "changed behind the validator" }),
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    const after = await createDb(env.DB).select().from(commands).where(eq(commands.id, created.data.id)).get();
    expect(after).toEqual(before);
  });
});

describe("PATCH /moderation/rules/{ruleId} merges only the validated body", () => {
  it("drops unknown fields and keeps fields left out (priority, exemptLevel, enabled)", async () => {
    const { community, other, authorization } = await setup();
    const base = `/api/v1/communities/${community.id}/moderation/rules`;
    const created = await api<{ id: string }>("POST", base, authorization, {
      name: "no links",
      matchType: "links",
      action: "delete",
      options: { allowedDomains: ["example.com"] },
      priority: 7,
      exemptLevel: "vip",
      enabled: false,
    });
    expect(created.status).toBe(201);
    const rule = () =>
      createDb(env.DB).select().from(moderationRules).where(eq(moderationRules.id, created.data.id)).get();
    const before = await rule();
    const res = await api("PATCH", `${base}/${created.data.id}`, authorization, {
      name: "no links at all",
      communityId: other.id,
      id: crypto.randomUUID(),
    });
    expect(res.status).toBe(200);
    const after = await rule();
    expect(after).toEqual({ ...before, name: "no links at all", updatedAt: after!.updatedAt });
  });
});
