import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";
import { createPortalUser, freshIp, json, signedIn } from "./helpers.ts";

type Entry = { action: string; outcome: string; actorId: string | null; communityId: string | null; requestId: string };
const audit = async (auth: string, query: string) => {
  const res = await call(`/api/v1/audit?${query}`, { headers: { authorization: auth } });
  expect(res.status).toBe(200);
  return (await res.json<{ data: Entry[] }>()).data;
};

describe("the audit trail", () => {
  it("records successful and failed logins with a request id", async () => {
    const admin = await createUserWithKey({ globalRole: "admin" });
    const user = await createPortalUser();
    await call("/api/v1/auth/login", json({ email: user.email, password: "wrong" }, { "cf-connecting-ip": freshIp() }));
    await call("/api/v1/auth/login", json({ email: user.email, password: user.password }));
    const entries = await audit(admin.authorization, `actorId=${user.id}&action=auth.login`);
    expect(entries.map((e) => e.outcome)).toEqual(["success", "failure"]);
    expect(entries[0]!.requestId).toBeTruthy();
  });

  it("records denied authorisations and admin changes, filterable by community", async () => {
    const c = await createCommunity();
    const owner = await createUserWithKey({ communityId: c.id, role: "owner" });
    const mod = await createUserWithKey({ communityId: c.id, role: "moderator" });
    await call(`/api/v1/communities/${c.id}/members/${owner.userId}/role`, {
      method: "PUT",
      headers: { authorization: mod.authorization, "content-type": "application/json" },
      body: JSON.stringify({ role: "member" }),
    });
    await call(`/api/v1/communities/${c.id}/members/${mod.userId}/role`, {
      method: "PUT",
      headers: { authorization: owner.authorization, "content-type": "application/json" },
      body: JSON.stringify({ role: "admin" }),
    });
    const entries = await audit(owner.authorization, `communityId=${c.id}`);
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: "authorize", outcome: "denied", actorId: mod.userId }),
        expect.objectContaining({ action: "member.role", outcome: "success", actorId: owner.userId }),
      ]),
    );
    const denied = await audit(owner.authorization, `communityId=${c.id}&outcome=denied`);
    expect(denied.every((e) => e.outcome === "denied")).toBe(true);
  });

  it("records key creation", async () => {
    const user = await signedIn();
    const admin = await createUserWithKey({ globalRole: "admin" });
    await call("/api/v1/keys", { method: "POST", headers: user.write, body: JSON.stringify({ name: "x" }) });
    const entries = await audit(admin.authorization, `actorId=${user.id}&action=api_key.create`);
    expect(entries).toHaveLength(1);
  });

  it("records a revoked key being tried", async () => {
    const user = await signedIn();
    const admin = await createUserWithKey({ globalRole: "admin" });
    const made = await call("/api/v1/keys", {
      method: "POST",
      headers: user.write,
      body: JSON.stringify({ name: "x" }),
    });
    const { data } = await made.json<{ data: { id: string; key: string } }>();
    await call(`/api/v1/keys/${data.id}`, { method: "DELETE", headers: user.write });
    expect((await call("/api/v1/auth/me", { headers: { authorization: `Bearer ${data.key}` } })).status).toBe(401);
    const entries = await audit(admin.authorization, `actorId=${user.id}&action=auth.api_key`);
    expect(entries).toEqual([expect.objectContaining({ outcome: "denied" })]);
  });

  it("cannot be edited or deleted through the API", async () => {
    const admin = await createUserWithKey({ globalRole: "admin" });
    const [entry] = await audit(admin.authorization, "limit=1");
    for (const method of ["PUT", "PATCH", "DELETE", "POST"]) {
      const res = await call(`/api/v1/audit/${(entry as unknown as { id: string }).id}`, {
        method,
        headers: { authorization: admin.authorization, "content-type": "application/json" },
        body: method === "DELETE" ? undefined : "{}",
      });
      expect(res.status, method).toBe(404);
      const all = await call("/api/v1/audit", {
        method,
        headers: { authorization: admin.authorization, "content-type": "application/json" },
        body: method === "DELETE" ? undefined : "{}",
      });
      expect(all.status, method).toBe(404);
    }
  });

  it("answers 400 for a bad filter", async () => {
    const admin = await createUserWithKey({ globalRole: "admin" });
    expect((await call("/api/v1/audit?limit=5000", { headers: { authorization: admin.authorization } })).status).toBe(
      400,
    );
  });

  it("shows people by name: the actor, and a member whose role changed", async () => {
    const c = await createCommunity();
    const owner = await createUserWithKey({ communityId: c.id, role: "owner" });
    const mod = await createUserWithKey({ communityId: c.id, role: "moderator" });
    await call(`/api/v1/communities/${c.id}/members/${mod.userId}/role`, {
      method: "PUT",
      headers: { authorization: owner.authorization, "content-type": "application/json" },
      body: JSON.stringify({ role: "admin" }),
    });
    const [entry] = (await audit(owner.authorization, `communityId=${c.id}&action=member.role`)) as (Entry & {
      actorName: string;
      targetName: string;
    })[];
    expect(entry!.actorName).toMatch(/^User /);
    expect(entry!.targetName).toMatch(/^User /);
    expect(entry!.targetName).not.toBe(entry!.actorName);
  });

  it("anyone reads their own account events (stored with no community), and nobody else's", async () => {
    const user = await createPortalUser();
    const other = await createPortalUser();
    await call("/api/v1/auth/login", json({ email: user.email, password: user.password }));
    await call("/api/v1/auth/login", json({ email: other.email, password: other.password }));
    const key = await createUserWithKey({});
    const mine = await signedIn();
    const own = await call(`/api/v1/audit?actorId=${mine.id}`, { headers: mine.read });
    expect(own.status).toBe(200);
    const entries = (await own.json<{ data: Entry[] }>()).data;
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.actorId === mine.id)).toBe(true);
    const theirs = await call(`/api/v1/audit?actorId=${other.id}`, { headers: mine.read });
    expect(theirs.status).toBe(403);
    expect(
      (await call(`/api/v1/audit?actorId=${user.id}`, { headers: { authorization: key.authorization } })).status,
    ).toBe(403);
  });
});
