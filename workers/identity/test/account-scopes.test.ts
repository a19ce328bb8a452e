import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import {
  communityMembers,
  memberInvites,
  userIdentities,
  users,
  verificationCodes,
} from "../../../lib/db/schema/index.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";
import { issueInvite } from "../src/members/invites.repo.ts";

const headers = (authorization: string) => ({ authorization, "content-type": "application/json" });

/**
 * API key scopes hold on the routes outside communities too (issue 10, item 4): /me/identities
 * used to answer any key of the user whatever its scopes.
 */
describe("API key scopes outside communities", () => {
  it("a key without identities:* cannot list my identities or start a link (and no code is made)", async () => {
    const { authorization, userId } = await createUserWithKey({ scopes: ["commands:read"] });
    expect((await call("/api/v1/me/identities", { headers: headers(authorization) })).status).toBe(403);
    const start = await call("/api/v1/me/identities", {
      method: "POST",
      headers: headers(authorization),
      body: JSON.stringify({ platform: "discord", username: "someone" }),
    });
    expect(start.status).toBe(403);
    const codes = await createDb(env.DB)
      .select()
      .from(verificationCodes)
      .where(eq(verificationCodes.requesterUserId, userId));
    expect(codes).toEqual([]);
  });

  it("GET /auth/me does not hand a key without identities:read the identities /me/identities refuses", async () => {
    const narrow = await createUserWithKey({ scopes: ["commands:read"] });
    const platformUserId = String(Date.now()) + String(Math.floor(Math.random() * 1e6));
    await createDb(env.DB)
      .insert(userIdentities)
      .values({ userId: narrow.userId, platform: "discord", platformUserId, username: "me", verifiedAt: new Date() });
    const me = await call("/api/v1/auth/me", { headers: headers(narrow.authorization) });
    expect(me.status).toBe(200);
    const body = await me.json<{ data: { user: { id: string }; identities: unknown[] } }>();
    expect(body.data.user.id).toBe(narrow.userId);
    expect(body.data.identities).toEqual([]);
    expect(JSON.stringify(body)).not.toContain(platformUserId);
    // With the scope, the same key kind sees them.
    const wide = await createUserWithKey({ scopes: ["identities:read"] });
    await createDb(env.DB)
      .insert(userIdentities)
      .values({ userId: wide.userId, platform: "twitch", platformUserId, username: "me", verifiedAt: new Date() });
    const seen = await call("/api/v1/auth/me", { headers: headers(wide.authorization) });
    expect(JSON.stringify(await seen.json())).toContain(platformUserId);
  });

  it("an API key cannot accept an invite for its owner (it would give a chat-only account the invited email)", async () => {
    // A platform-login account has no email: accepting as it would set the invite's address,
    // and a password reset to that address would then sign its sender in as the account.
    const { authorization, userId } = await createUserWithKey({ scopes: ["commands:read"] });
    await createDb(env.DB).update(users).set({ email: null }).where(eq(users.id, userId));
    const c = await createCommunity();
    const email = `inv-${crypto.randomUUID().slice(0, 8)}@attacker.test`;
    const invite = await issueInvite(env.DB, {
      communityId: c.id,
      email,
      displayName: null,
      role: "admin",
      invitedBy: userId,
    });
    const res = await call("/api/v1/auth/invites/accept", {
      method: "POST",
      headers: headers(authorization),
      body: JSON.stringify({ token: invite.token }),
    });
    expect(res.status).toBe(403);
    const db = createDb(env.DB);
    expect((await db.select().from(users).where(eq(users.id, userId)).get())?.email).toBeNull();
    expect(await db.select().from(communityMembers).where(eq(communityMembers.userId, userId))).toEqual([]);
    expect((await db.select().from(memberInvites).where(eq(memberInvites.id, invite.id)).get())?.usedAt).toBeNull();
  });

  it("a key with identities:read may list them (the refusal above is about the scope)", async () => {
    const { authorization } = await createUserWithKey({ scopes: ["identities:read"] });
    expect((await call("/api/v1/me/identities", { headers: headers(authorization) })).status).toBe(200);
  });

  it("a global admin's key without audit:read cannot read the whole audit trail", async () => {
    const narrow = await createUserWithKey({ globalRole: "admin", scopes: ["commands:read"] });
    expect((await call("/api/v1/audit", { headers: headers(narrow.authorization) })).status).toBe(403);
    const wide = await createUserWithKey({ globalRole: "admin", scopes: ["audit:read"] });
    expect((await call("/api/v1/audit", { headers: headers(wide.authorization) })).status).toBe(200);
  });

  it("service accounts need an admin session, an unscoped admin key or the explicit scope — not a * key", async () => {
    const star = await createUserWithKey({ globalRole: "admin", scopes: ["*"] });
    const made = await call("/api/v1/service-accounts", {
      method: "POST",
      headers: headers(star.authorization),
      body: JSON.stringify({ name: "by-star-key", role: "core" }),
    });
    expect(made.status).toBe(403);
    expect(await createDb(env.DB).select().from(users).where(eq(users.displayName, "by-star-key"))).toEqual([]);
    const explicit = await createUserWithKey({ globalRole: "admin", scopes: ["service-accounts:read"] });
    expect((await call("/api/v1/service-accounts", { headers: headers(explicit.authorization) })).status).toBe(200);
    const unscoped = await createUserWithKey({ globalRole: "admin" });
    expect((await call("/api/v1/service-accounts", { headers: headers(unscoped.authorization) })).status).toBe(200);
  });

  it("answers 404 for an unknown community before any handler runs, even for a global admin", async () => {
    const admin = await createUserWithKey({ globalRole: "admin" });
    const res = await call(`/api/v1/communities/${crypto.randomUUID()}/members`, {
      headers: headers(admin.authorization),
    });
    expect(res.status).toBe(404);
  });
});
