import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { communities, communityMembers, userIdentities, users } from "../../../lib/db/schema/index.ts";
import { awardPoints, ensurePlatformUser } from "../../../lib/identity/platform-users.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";
import { login, identityRpc as rpc } from "./helpers.ts";
import { chatUser, discordCodeFor, withPortalLogin } from "./link-helpers.ts";

const db = () => createDb(env.DB);
const userOf = (p: { platform: "discord" | "twitch" | "slack"; platformUserId: string; username: string }) =>
  ensurePlatformUser(env.DB, p.platform, p.platformUserId, p.username);
const membership = (communityId: string, userId: string) =>
  db()
    .select()
    .from(communityMembers)
    .where(and(eq(communityMembers.communityId, communityId), eq(communityMembers.userId, userId)))
    .get();

async function link(onTwitch: ReturnType<typeof chatUser>, onDiscord: ReturnType<typeof chatUser>) {
  expect((await rpc.startLink(onTwitch, { platform: "discord", username: onDiscord.username })).ok).toBe(true);
  expect((await rpc.verifyLink(onTwitch, await discordCodeFor(onDiscord.platformUserId))).ok).toBe(true);
}

describe("linking merges the two users", () => {
  it("sums activity points per community and keeps the higher role", async () => {
    const shared = await createCommunity();
    const onlyDiscord = await createCommunity();
    const onTwitch = chatUser("twitch");
    const onDiscord = chatUser("discord");
    const twitchUser = await userOf(onTwitch);
    const discordUser = await userOf(onDiscord);
    await awardPoints(env.DB, shared.id, twitchUser, 120);
    await awardPoints(env.DB, shared.id, discordUser, 30);
    await awardPoints(env.DB, onlyDiscord.id, discordUser, 7);
    await db()
      .update(communityMembers)
      .set({ role: "moderator" })
      .where(and(eq(communityMembers.communityId, shared.id), eq(communityMembers.userId, discordUser)));

    await link(onTwitch, onDiscord);

    const survivor = await userOf(onDiscord);
    expect(await userOf(onTwitch)).toBe(survivor);
    expect(await membership(shared.id, survivor)).toMatchObject({ points: 150, role: "moderator" });
    expect(await membership(onlyDiscord.id, survivor)).toMatchObject({ points: 7 });
    const gone = survivor === twitchUser ? discordUser : twitchUser;
    expect(await db().select().from(users).where(eq(users.id, gone)).get()).toBeUndefined();
    const rows = await db().select().from(communityMembers).where(eq(communityMembers.userId, gone));
    expect(rows).toEqual([]);
    const identities = await db().select().from(userIdentities).where(eq(userIdentities.userId, survivor));
    expect(identities.map((i) => i.platform).sort()).toEqual(["discord", "twitch"]);
    expect(identities.find((i) => i.platform === "discord")?.verifiedAt).not.toBeNull();
  });

  it("into an account with a portal login only on its owner's approval; that account survives and gains ownerships", async () => {
    const onTwitch = chatUser("twitch");
    const onDiscord = chatUser("discord");
    const chatOnly = await userOf(onTwitch);
    const owner = await withPortalLogin(await userOf(onDiscord));
    const community = await createCommunity();
    await db().update(communities).set({ ownerUserId: chatOnly }).where(eq(communities.id, community.id));
    await awardPoints(env.DB, community.id, chatOnly, 40);

    await rpc.startLink(onTwitch, { platform: "discord", username: onDiscord.username });
    const reply = await rpc.verifyLink(onTwitch, await discordCodeFor(onDiscord.platformUserId));
    expect(reply).toMatchObject({ ok: true, message: expect.stringContaining("must approve") });
    expect(await userOf(onTwitch)).toBe(chatOnly);

    const session = await login(owner.email, owner.password);
    const headers = { cookie: session.cookie, "x-csrf-token": session.csrf };
    const open = await call("/api/v1/me/identities/requests", { headers });
    const [request] = (await open.json<{ data: { id: string; requester: { username: string } }[] }>()).data;
    expect(request?.requester.username).toBe(onTwitch.username);
    const approved = await call(`/api/v1/me/identities/requests/${request!.id}/approve`, { method: "POST", headers });
    expect(approved.status).toBe(200);

    expect(await userOf(onTwitch)).toBe(owner.id);
    const after = await db().select().from(communities).where(eq(communities.id, community.id)).get();
    expect(after?.ownerUserId).toBe(owner.id);
    expect(await membership(community.id, owner.id)).toMatchObject({ points: 40 });
    expect(await db().select().from(users).where(eq(users.id, chatOnly)).get()).toBeUndefined();
    const survivor = await db().select().from(users).where(eq(users.id, owner.id)).get();
    expect(survivor?.email).toBe(owner.email);
  });

  it("refuses to merge two portal accounts, and changes nothing", async () => {
    const onTwitch = chatUser("twitch");
    const onDiscord = chatUser("discord");
    const a = await userOf(onTwitch);
    const b = await userOf(onDiscord);
    for (const id of [a, b]) {
      await db()
        .update(users)
        .set({ email: `x-${crypto.randomUUID().slice(0, 6)}@waddlebot.test` })
        .where(eq(users.id, id));
    }
    await rpc.startLink(onTwitch, { platform: "discord", username: onDiscord.username });
    const reply = await rpc.verifyLink(onTwitch, await discordCodeFor(onDiscord.platformUserId));
    expect(reply).toMatchObject({ ok: false, message: expect.stringContaining("portal login") });
    expect(await userOf(onTwitch)).toBe(a);
    expect(await userOf(onDiscord)).toBe(b);
  });
});
