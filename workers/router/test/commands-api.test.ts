import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { api } from "./support/router.ts";

async function setup(role: "admin" | "moderator" = "admin") {
  const community = await createCommunity();
  const { authorization } = await createUserWithKey({ communityId: community.id, role });
  return { community, authorization, base: `/api/v1/communities/${community.id}/commands` };
}

describe("commands admin API", () => {
  it("creates, lists, changes and deletes a command", async () => {
    const { authorization, base } = await setup();
    const created = await api<{ id: string; name: string }>("POST", base, authorization, {
      name: "  Discord ",
      response: "Join us, {user}!",
      description: "the invite",
      minLevel: "subscriber",
      userCooldownSec: 30,
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ name: "discord", prefix: "!", kind: "text", minLevel: "subscriber" });
    const listed = await api<{ id: string }[]>("GET", base, authorization);
    expect(listed.data.map((c) => c.id)).toEqual([created.data.id]);
    const changed = await api("PATCH", `${base}/${created.data.id}`, authorization, { response: "New {args}" });
    expect(changed).toMatchObject({ status: 200, data: { response: "New {args}", userCooldownSec: 30 } });
    expect((await api("DELETE", `${base}/${created.data.id}`, authorization)).status).toBe(200);
    expect((await api("DELETE", `${base}/${created.data.id}`, authorization)).status).toBe(404);
  });

  it("refuses a template with an unknown variable with 400, and stores nothing", async () => {
    const { authorization, base } = await setup();
    const res = await api<{ path: string[]; message: string }[]>("POST", base, authorization, {
      name: "bad",
      response: "hi {usr}",
    });
    expect(res.status).toBe(400);
    expect(res.data[0]).toMatchObject({ path: ["response"], message: "{usr} is not a known variable" });
    expect((await api<unknown[]>("GET", base, authorization)).data).toEqual([]);
  });

  it("refuses bad names, sizes and kinds with 400", async () => {
    const { authorization, base } = await setup();
    const bad = [
      { name: "has space", response: "x" },
      { name: "x".repeat(33), response: "x" },
      { name: "ok", response: "x".repeat(1001) },
      { name: "ok" },
      { name: "ok", response: "x", minLevel: "god" },
      { name: "ok", response: "x", userCooldownSec: -1 },
      { name: "ok", response: "x", disabledChannels: Array.from({ length: 101 }, (_, i) => `c${i}`) },
      { name: "nosuch", kind: "builtin" },
      { name: "ok", kind: "module" },
      { name: "ok", kind: "module", moduleId: crypto.randomUUID() },
    ];
    for (const body of bad)
      expect((await api("POST", base, authorization, body)).status, JSON.stringify(body)).toBe(400);
    expect((await api<unknown[]>("GET", base, authorization)).data).toEqual([]);
  });

  it("refuses a PATCH that would make the command invalid, leaving it unchanged", async () => {
    const { authorization, base } = await setup();
    const { data } = await api<{ id: string }>("POST", base, authorization, { name: "keep", response: "same" });
    expect((await api("PATCH", `${base}/${data.id}`, authorization, { response: "{broken" })).status).toBe(400);
    expect((await api<{ response: string }[]>("GET", base, authorization)).data[0]?.response).toBe("same");
  });

  it("answers 409 for a second command with the same prefix and name", async () => {
    const { authorization, base } = await setup();
    expect((await api("POST", base, authorization, { name: "dup", response: "1" })).status).toBe(201);
    expect((await api("POST", base, authorization, { name: "DUP", response: "2" })).status).toBe(409);
    expect((await api("POST", base, authorization, { name: "dup", prefix: "#", response: "3" })).status).toBe(201);
  });

  it("lets moderators read but not write, and refuses other communities", async () => {
    const { authorization, base } = await setup("moderator");
    expect((await api("GET", base, authorization)).status).toBe(200);
    expect((await api("POST", base, authorization, { name: "x", response: "x" })).status).toBe(403);
    const other = await createCommunity();
    expect((await api("GET", `/api/v1/communities/${other.id}/commands`, authorization)).status).toBe(403);
  });

  it("answers 404 for an unknown command id and 400 for a malformed one", async () => {
    const { authorization, base } = await setup();
    expect((await api("PATCH", `${base}/${crypto.randomUUID()}`, authorization, { enabled: false })).status).toBe(404);
    expect((await api("PATCH", `${base}/not-a-uuid`, authorization, { enabled: false })).status).toBe(400);
  });

  it("answers 404 when a global admin writes to a community that does not exist", async () => {
    const { authorization } = await createUserWithKey({ globalRole: "admin" });
    const res = await api("POST", `/api/v1/communities/${crypto.randomUUID()}/commands`, authorization, {
      name: "x",
      response: "x",
    });
    expect(res.status).toBe(404);
  });
});
