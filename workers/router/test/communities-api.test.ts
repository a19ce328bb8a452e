import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";

const get = (path: string, authorization?: string) => call(path, { headers: authorization ? { authorization } : {} });

describe("GET /api/v1/communities", () => {
  it("refuses a caller without credentials with 401", async () => {
    const res = await get("/api/v1/communities");
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ success: false, message: "Authentication required" });
  });

  it("refuses a malformed or unknown API key with 401", async () => {
    expect((await get("/api/v1/communities", "Bearer not-a-key")).status).toBe(401);
    expect((await get("/api/v1/communities", `Bearer wbk_${"0".repeat(40)}`)).status).toBe(401);
  });

  it("lists only the communities the caller belongs to, with their role", async () => {
    const mine = await createCommunity();
    await createCommunity();
    const { authorization } = await createUserWithKey({ communityId: mine.id, role: "moderator" });
    const res = await get("/api/v1/communities", authorization);
    expect(res.status).toBe(200);
    const body = await res.json<{ success: boolean; data: { id: string; role: string; platforms: unknown[] }[] }>();
    expect(body.success).toBe(true);
    expect(body.data.map((c) => c.id)).toEqual([mine.id]);
    expect(body.data[0]).toMatchObject({ role: "moderator" });
    expect(body.data[0]?.platforms).toHaveLength(3);
  });
});

describe("GET /api/v1/communities/{communityId}", () => {
  it("answers a moderator of the community", async () => {
    const community = await createCommunity();
    const { authorization } = await createUserWithKey({ communityId: community.id, role: "moderator" });
    const res = await get(`/api/v1/communities/${community.id}`, authorization);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: { id: community.id, role: "moderator" } });
  });

  it("refuses a member of another community with 403", async () => {
    const a = await createCommunity();
    const b = await createCommunity();
    const { authorization } = await createUserWithKey({ communityId: a.id, role: "owner" });
    expect((await get(`/api/v1/communities/${b.id}`, authorization)).status).toBe(403);
  });

  it("refuses a plain member (below moderator) with 403", async () => {
    const community = await createCommunity();
    const { authorization } = await createUserWithKey({ communityId: community.id, role: "member" });
    expect((await get(`/api/v1/communities/${community.id}`, authorization)).status).toBe(403);
  });

  it("refuses a key whose scopes do not cover the permission", async () => {
    const community = await createCommunity();
    const { authorization } = await createUserWithKey({
      communityId: community.id,
      role: "owner",
      scopes: ["commands:read"],
    });
    expect((await get(`/api/v1/communities/${community.id}`, authorization)).status).toBe(403);
  });

  it("answers 400 with the zod issues for an id that is not a UUID", async () => {
    const { authorization } = await createUserWithKey({ globalRole: "admin" });
    const res = await get("/api/v1/communities/not-a-uuid", authorization);
    expect(res.status).toBe(400);
    const body = await res.json<{ data: { path: string[] }[] }>();
    expect(body.data[0]?.path).toEqual(["communityId"]);
  });

  it("lets a global admin read any community", async () => {
    const community = await createCommunity();
    const { authorization } = await createUserWithKey({ globalRole: "admin" });
    expect((await get(`/api/v1/communities/${community.id}`, authorization)).status).toBe(200);
  });
});
