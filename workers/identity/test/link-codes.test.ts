import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { verificationCodes } from "../../../lib/db/schema/index.ts";
import { CODE_ALPHABET, generateCode } from "../src/linking/codes.ts";
import { identityRpc as rpc } from "./helpers.ts";
import { chatUser, discordCodeFor, wrongCode } from "./link-helpers.ts";

/** A Twitch user asks to link a Discord user the bot has seen; returns both and the code sent. */
async function pendingLink() {
  const onDiscord = chatUser("discord");
  const onTwitch = chatUser("twitch");
  await rpc.listLinks(onDiscord);
  expect((await rpc.startLink(onTwitch, { platform: "discord", username: onDiscord.username })).ok).toBe(true);
  return { onDiscord, onTwitch, code: await discordCodeFor(onDiscord.platformUserId) };
}

const codesFor = (platformUserId: string) =>
  createDb(env.DB).select().from(verificationCodes).where(eq(verificationCodes.targetPlatformUserId, platformUserId));

describe("link codes", () => {
  it("are 6 characters from an alphabet without 0, O, 1, I or L", () => {
    expect(CODE_ALPHABET).not.toMatch(/[0O1IL]/);
    for (let i = 0; i < 200; i++) expect(generateCode()).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
  });

  it("are stored only as a hash, valid for 10 minutes", async () => {
    const { onDiscord, code } = await pendingLink();
    const [row] = await codesFor(onDiscord.platformUserId);
    expect(JSON.stringify(row)).not.toContain(code);
    expect(row!.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBe(10 * 60_000);
  });

  it("die after five wrong tries: the right code is refused afterwards", async () => {
    const { onTwitch, code } = await pendingLink();
    for (let i = 1; i <= 5; i++) {
      const reply = await rpc.verifyLink(onTwitch, wrongCode(code));
      expect(reply.ok).toBe(false);
      if (i < 5) expect(reply.message).toContain(`${5 - i} ${5 - i === 1 ? "try" : "tries"} left`);
    }
    const reply = await rpc.verifyLink(onTwitch, code);
    expect(reply).toMatchObject({ ok: false, message: expect.stringContaining("no longer works") });
    expect((await rpc.listLinks(onTwitch)).message).not.toContain("Discord");
  });

  it("are refused once expired", async () => {
    const { onDiscord, onTwitch, code } = await pendingLink();
    await createDb(env.DB)
      .update(verificationCodes)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .where(eq(verificationCodes.targetPlatformUserId, onDiscord.platformUserId));
    expect(await rpc.verifyLink(onTwitch, code)).toMatchObject({
      ok: false,
      message: expect.stringContaining("expired"),
    });
    expect((await rpc.listLinks(onTwitch)).message).not.toContain("Discord");
  });

  it("work once", async () => {
    const { onTwitch, code } = await pendingLink();
    expect((await rpc.verifyLink(onTwitch, code)).ok).toBe(true);
    expect((await rpc.verifyLink(onTwitch, code)).ok).toBe(false);
  });

  it("can only be redeemed by the identity that asked, not by the target or a stranger", async () => {
    const { onDiscord, onTwitch, code } = await pendingLink();
    const stranger = chatUser("twitch");
    expect((await rpc.verifyLink(stranger, code)).ok).toBe(false);
    expect((await rpc.verifyLink(onDiscord, code)).ok).toBe(false);
    expect((await rpc.verifyLink(onTwitch, code)).ok).toBe(true);
  });

  it("a new request replaces the previous code", async () => {
    const { onDiscord, onTwitch, code: first } = await pendingLink();
    await rpc.startLink(onTwitch, { platform: "discord", username: onDiscord.username });
    const all = await codesFor(onDiscord.platformUserId);
    expect(all.filter((c) => c.usedAt === null)).toHaveLength(1);
    const second = await discordCodeFor(onDiscord.platformUserId);
    if (second !== first) expect((await rpc.verifyLink(onTwitch, first)).ok).toBe(false);
    expect((await rpc.verifyLink(onTwitch, second)).ok).toBe(true);
  });

  it("link requests are rate-limited per user (3 per 10 minutes)", async () => {
    const onTwitch = chatUser("twitch");
    const targets = [chatUser("discord"), chatUser("discord"), chatUser("discord"), chatUser("discord")];
    for (const t of targets) await rpc.listLinks(t);
    for (const t of targets.slice(0, 3)) {
      expect((await rpc.startLink(onTwitch, { platform: "discord", username: t.username })).ok).toBe(true);
    }
    const fourth = await rpc.startLink(onTwitch, { platform: "discord", username: targets[3]!.username });
    expect(fourth).toMatchObject({ ok: false, message: expect.stringContaining("Too many link requests") });
  });
});
