/**
 * The linking property (linking/link-policy.ts): no sequence of chat messages lets identity X
 * gain login access to an account X did not already control.
 */
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { auditLog, userIdentities, verificationCodes } from "../../../lib/db/schema/index.ts";
import { ensurePlatformUser } from "../../../lib/identity/platform-users.ts";
import type { ChatIdentity } from "../../../lib/rpc.ts";
import { createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";
import { login, identityRpc as rpc, signedIn } from "./helpers.ts";
import { chatUser, discordCodeFor, fake, withPortalLogin, wrongCode } from "./link-helpers.ts";

const db = () => createDb(env.DB);
const userOf = (p: ChatIdentity) => ensurePlatformUser(env.DB, p.platform, p.platformUserId, p.username);
const identitiesOfUser = (userId: string) =>
  db().select().from(userIdentities).where(eq(userIdentities.userId, userId));

/** A victim: a portal account (email + password) whose Discord identity the bot has seen. */
async function victim() {
  const onDiscord = chatUser("discord");
  const account = await withPortalLogin(await userOf(onDiscord));
  return { onDiscord, ...account };
}

async function headersOf(email: string, password: string) {
  const session = await login(email, password);
  return { cookie: session.cookie, "x-csrf-token": session.csrf };
}

describe("account takeover through chat linking", () => {
  it("the issue's sequence fails: the victim typing a code a stranger asked for links nothing", async () => {
    const v = await victim();
    const attacker = chatUser("twitch", `attacker${Date.now() % 1e6}`);
    const started = await rpc.startLink(attacker, { platform: "discord", username: v.onDiscord.username });
    expect(started.ok).toBe(true);
    const dm = (await fake.waitFor(`/discord/channels/dm-${v.onDiscord.platformUserId}/messages`)).body as {
      content: string;
    };
    // The DM names who asked and from where, and warns.
    expect(dm.content).toContain(`${attacker.username} (Twitch)`);
    expect(dm.content).toContain("Ignore this if it wasn't you; never share this code.");

    // The victim follows the DM by habit and types the code where they are.
    const code = await discordCodeFor(v.onDiscord.platformUserId);
    expect(await rpc.verifyLink(v.onDiscord, code)).toMatchObject({ ok: false });

    expect(await userOf(attacker)).not.toBe(v.id);
    expect((await identitiesOfUser(v.id)).map((i) => i.platform)).toEqual(["discord"]);
  });

  it("a leaked code still gives no login: the link waits for the owner, who rejects it", async () => {
    const v = await victim();
    const attacker = chatUser("twitch");
    await rpc.startLink(attacker, { platform: "discord", username: v.onDiscord.username });
    const leaked = await discordCodeFor(v.onDiscord.platformUserId);
    const reply = await rpc.verifyLink(attacker, leaked);
    expect(reply).toMatchObject({ ok: true, message: expect.stringContaining("must approve") });
    expect(await userOf(attacker)).not.toBe(v.id);
    expect(await identitiesOfUser(v.id)).toHaveLength(1);

    // Another signed-in user cannot approve it for the victim.
    const stranger = await signedIn();
    const headers = await headersOf(v.email, v.password);
    const [request] = (
      await (await call("/api/v1/me/identities/requests", { headers })).json<{ data: { id: string }[] }>()
    ).data;
    expect(
      (await call(`/api/v1/me/identities/requests/${request!.id}/approve`, { method: "POST", headers: stranger.write }))
        .status,
    ).toBe(404);

    const rejected = await call(`/api/v1/me/identities/requests/${request!.id}/reject`, { method: "POST", headers });
    expect(rejected.status).toBe(200);
    const approveLater = await call(`/api/v1/me/identities/requests/${request!.id}/approve`, {
      method: "POST",
      headers,
    });
    expect(approveLater.status).toBe(404);
    expect(await userOf(attacker)).not.toBe(v.id);
    expect(await identitiesOfUser(v.id)).toHaveLength(1);
  });

  it("an account with only API keys is protected too, and an API key cannot approve", async () => {
    const owner = await createUserWithKey({});
    const onDiscord = chatUser("discord");
    await db().insert(userIdentities).values({
      userId: owner.userId,
      platform: "discord",
      platformUserId: onDiscord.platformUserId,
      username: onDiscord.username,
    });
    const attacker = chatUser("slack");
    await rpc.startLink(attacker, { platform: "discord", username: onDiscord.username });
    await rpc.verifyLink(attacker, await discordCodeFor(onDiscord.platformUserId));
    expect(await userOf(attacker)).not.toBe(owner.userId);
    const list = await call("/api/v1/me/identities/requests", { headers: { authorization: owner.authorization } });
    expect(list.status).toBe(403);
  });

  it("a chat-only target is merged into the requester only when the requester typed the code", async () => {
    const onTwitch = chatUser("twitch");
    const onDiscord = chatUser("discord");
    await rpc.listLinks(onDiscord);
    await rpc.startLink(onTwitch, { platform: "discord", username: onDiscord.username });
    expect((await rpc.verifyLink(onTwitch, await discordCodeFor(onDiscord.platformUserId))).ok).toBe(true);
    expect(await userOf(onDiscord)).toBe(await userOf(onTwitch));
  });
});

describe("link requests cannot flood a target", () => {
  it("at most 3 codes per target per hour, however many accounts ask", async () => {
    const target = chatUser("discord");
    await rpc.listLinks(target);
    const answers = [];
    for (let i = 0; i < 5; i++) {
      answers.push(await rpc.startLink(chatUser("twitch"), { platform: "discord", username: target.username }));
    }
    expect(answers.map((a) => a.ok)).toEqual([true, true, true, false, false]);
    expect(answers[3]!.message).toContain("too many link codes");
    expect(await fake.requests(`/discord/channels/dm-${target.platformUserId}/messages`)).toHaveLength(3);
  });

  it("at most 20 link requests per community per 10 minutes", async () => {
    const community = { community: `twitch:${crypto.randomUUID()}` };
    // The 21 targets are set up at once (they are independent); the requests go one by one, so
    // the 21st is the one refused.
    const targets = Array.from({ length: 21 }, () => chatUser("discord"));
    await Promise.all(targets.map((target) => rpc.listLinks(target)));
    const answers = [];
    for (const target of targets) {
      answers.push(
        await rpc.startLink(chatUser("twitch"), { platform: "discord", username: target.username }, community),
      );
    }
    expect(answers.slice(0, 20).every((a) => a.ok)).toBe(true);
    expect(answers[20]).toMatchObject({ ok: false, message: expect.stringContaining("in this community") });
  });
});

describe("!verify tries", () => {
  it("20 parallel wrong !verify lines use at most 5 tries; the right code is refused afterwards", async () => {
    const onTwitch = chatUser("twitch");
    const onDiscord = chatUser("discord");
    await rpc.listLinks(onDiscord);
    await rpc.startLink(onTwitch, { platform: "discord", username: onDiscord.username });
    const code = await discordCodeFor(onDiscord.platformUserId);
    const replies = await Promise.all(Array.from({ length: 20 }, () => rpc.verifyLink(onTwitch, wrongCode(code))));
    expect(replies.every((r) => !r.ok)).toBe(true);

    const row = await db()
      .select()
      .from(verificationCodes)
      .where(eq(verificationCodes.targetPlatformUserId, onDiscord.platformUserId))
      .get();
    expect(row!.attempts).toBe(5);
    // One failure row per compared guess: exactly five were compared.
    const compared = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "identity.verify"), eq(auditLog.targetId, row!.id)));
    expect(compared).toHaveLength(5);
    expect((await rpc.verifyLink(onTwitch, code)).ok).toBe(false);
    expect(await userOf(onDiscord)).not.toBe(await userOf(onTwitch));
  });
});
