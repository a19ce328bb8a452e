import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";
import { json, login, short } from "./helpers.ts";

type Member = { userId: string; role: string; email: string | null; reputation: number; identities: unknown[] };
const add = (communityId: string, authorization: string, body: unknown) =>
  call(`/api/v1/communities/${communityId}/members`, json(body, { authorization }));

describe("adding members by email", () => {
  it("an admin adds a new portal user as moderator, who can then sign in and is listed", async () => {
    const c = await createCommunity();
    const admin = await createUserWithKey({ communityId: c.id, role: "admin" });
    const email = `mod-${short()}@waddlebot.test`;
    const password = `pw-${short()}-${short()}`;
    const res = await add(c.id, admin.authorization, { email, displayName: "Mod", password, role: "moderator" });
    expect(res.status).toBe(201);
    const member = (await res.json<{ data: Member }>()).data;
    expect(member).toMatchObject({ role: "moderator", email, reputation: 0, identities: [] });
    await login(email, password);
    const list = await call(`/api/v1/communities/${c.id}/members`, { headers: { authorization: admin.authorization } });
    expect((await list.json<{ data: Member[] }>()).data.map((m) => m.userId)).toContain(member.userId);
  });

  it("answers 409 for someone already in the community, and changes nothing", async () => {
    const c = await createCommunity();
    const admin = await createUserWithKey({ communityId: c.id, role: "admin" });
    const email = `dup-${short()}@waddlebot.test`;
    expect((await add(c.id, admin.authorization, { email, displayName: "Dup", role: "member" })).status).toBe(201);
    const again = await add(c.id, admin.authorization, { email, displayName: "Dup", role: "admin" });
    expect(again.status).toBe(409);
  });

  it("moderators may not add members, and only owners may add an owner", async () => {
    const c = await createCommunity();
    const mod = await createUserWithKey({ communityId: c.id, role: "moderator" });
    const admin = await createUserWithKey({ communityId: c.id, role: "admin" });
    const body = { email: `x-${short()}@waddlebot.test`, displayName: "X", role: "member" };
    expect((await add(c.id, mod.authorization, body)).status).toBe(403);
    expect((await add(c.id, admin.authorization, { ...body, role: "owner" })).status).toBe(403);
  });

  it("refuses a short password and a bad email with 400", async () => {
    const c = await createCommunity();
    const admin = await createUserWithKey({ communityId: c.id, role: "admin" });
    const bad = await add(c.id, admin.authorization, { email: "nope", displayName: "N", password: "short" });
    expect(bad.status).toBe(400);
  });
});
