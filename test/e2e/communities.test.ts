/**
 * The first run and communities over HTTP, on the system `npm start` runs: the seeded admin is
 * the local instance owner, so the setup path is closed; the owner creates a community and is
 * its owner; a signed-in person who is not the owner is refused (COMMUNITY_CREATION defaults
 * to owner-only); the demo community says it is the demo.
 */
import { describe, expect, inject, it } from "vitest";
import { invitedAccount, login } from "./accounts.ts";

const origin = inject("urls").router;
const adminKey = `Bearer ${inject("adminApiKey")}`;
const demoId = inject("demoCommunityId");

const createCommunity = (headers: Record<string, string>, body: unknown) =>
  fetch(`${origin}/api/v1/communities`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json", origin },
    body: JSON.stringify(body),
  });

describe("first run and communities, end to end", () => {
  it("the setup URL is closed once the instance has its owner (409), whatever the token", async () => {
    const status = await fetch(`${origin}/api/v1/auth/setup`);
    expect(await status.json()).toMatchObject({ data: { ownerExists: true } });
    const res = await fetch(`${origin}/api/v1/auth/setup`, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({
        token: `wbs_${"a".repeat(64)}`,
        email: "intruder@example.com",
        password: "a long password here",
      }),
    });
    expect(res.status).toBe(409);
  });

  it("the instance owner creates a community and owns it; the slug is then taken", async () => {
    const slug = `e2e-${crypto.randomUUID().slice(0, 8)}`;
    const res = await createCommunity({ authorization: adminKey }, { slug, name: "End to End" });
    expect(res.status).toBe(201);
    const { data } = (await res.json()) as { data: { id: string; role: string } };
    expect(data.role).toBe("owner");
    const list = await fetch(`${origin}/api/v1/communities`, { headers: { authorization: adminKey } });
    const communities = ((await list.json()) as { data: { id: string; role: string | null; demo: boolean }[] }).data;
    expect(communities.find((c) => c.id === data.id)).toMatchObject({ role: "owner", demo: false });
    expect(communities.find((c) => c.id === demoId)).toMatchObject({ demo: true });
    expect((await createCommunity({ authorization: adminKey }, { slug, name: "Again" })).status).toBe(409);
  });

  it("a signed-in person who is not the instance owner is refused (owner-only), with the reason", async () => {
    const person = await invitedAccount("moderator");
    const session = await login(person.email, person.password);
    expect(session.status).toBe(200);
    const res = await createCommunity(session.headers, { slug: `no-${crypto.randomUUID().slice(0, 8)}`, name: "Nope" });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toContain("COMMUNITY_CREATION");
  });
});
