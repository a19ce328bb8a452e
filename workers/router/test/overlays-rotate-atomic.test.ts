import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { auditLog, overlayTokens } from "../../../lib/db/schema/index.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { api } from "./support/router.ts";

/** A token rotation and its audit entry are one D1 batch (issue 10, item 20). */
async function setup() {
  const community = await createCommunity();
  const { authorization } = await createUserWithKey({ communityId: community.id, role: "admin" });
  const base = `/api/v1/communities/${community.id}/overlays`;
  expect((await api("GET", base, authorization)).status).toBe(200);
  const token = () =>
    createDb(env.DB)
      .select()
      .from(overlayTokens)
      .where(and(eq(overlayTokens.communityId, community.id), eq(overlayTokens.type, "ticker")))
      .get();
  const entries = () =>
    createDb(env.DB)
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.communityId, community.id), eq(auditLog.action, "overlay.token_rotated")));
  return { community, authorization, base, token, entries };
}

describe("rotating an overlay URL", () => {
  it("stores the new token and exactly one audit entry naming who, what and the new generation", async () => {
    const { authorization, base, token, entries } = await setup();
    const before = await token();
    expect((await api("POST", `${base}/ticker/rotate`, authorization, {})).status).toBe(200);
    const after = await token();
    expect(after!.generation).toBe(before!.generation + 1);
    const trail = await entries();
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ actorType: "api_key", targetId: "ticker", outcome: "success" });
    expect(trail[0]!.details).toMatchObject({ generation: after!.generation });
  });

  it("when the audit entry cannot be written, the token is not rotated either", async () => {
    const { community, authorization, base, token, entries } = await setup();
    const before = await token();
    // A real failure inside D1 (no mock): the audit insert aborts for this community only.
    await env.DB.exec(
      `CREATE TRIGGER fail_rotation_audit BEFORE INSERT ON audit_log WHEN NEW.community_id = '${community.id}' AND NEW.action = 'overlay.token_rotated' BEGIN SELECT RAISE(ABORT, 'audit down'); END;`,
    );
    try {
      expect((await api("POST", `${base}/ticker/rotate`, authorization, {})).status).toBe(500);
    } finally {
      await env.DB.exec("DROP TRIGGER fail_rotation_audit;");
    }
    expect(await token()).toEqual(before);
    expect(await entries()).toEqual([]);
  });
});
