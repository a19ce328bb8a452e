/**
 * Defence in depth for simulation (issue 10, item 1): whatever the router does, the identity
 * worker never links, verifies or creates a platform user for an id of the simulated namespace.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ensurePlatformUser } from "../../../lib/identity/platform-users.ts";
import type { ChatIdentity } from "../../../lib/rpc.ts";
import { identityRpc as rpc, short } from "./helpers.ts";
import { chatUser, discordCodeFor } from "./link-helpers.ts";

const count = async (sql: string, ...binds: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...binds)
      .first<{ n: number }>()
  )?.n ?? 0;
const rows = async () => ({
  users: await count("SELECT count(*) AS n FROM users"),
  identities: await count("SELECT count(*) AS n FROM user_identities"),
  codes: await count("SELECT count(*) AS n FROM verification_codes"),
});
const simulated = (platform: ChatIdentity["platform"] = "discord"): ChatIdentity => ({
  platform,
  platformUserId: `sim:${crypto.randomUUID()}`,
  username: `sim${short()}`,
});

describe("identity RPC refuses simulated ids", () => {
  it("refuses !identity link, !verify, unlink and listing for a sim: caller, writing nothing", async () => {
    const before = await rows();
    const sim = simulated();
    const target = chatUser("twitch");
    for (const reply of [
      await rpc.startLink(sim, { platform: "twitch", username: target.username }),
      await rpc.verifyLink(sim, "ABC234"),
      await rpc.unlink(sim, "twitch"),
      await rpc.listLinks(sim),
      await rpc.listLinks({ ...sim, platformUserId: ` SIM:${crypto.randomUUID()}` }),
    ]) {
      expect(reply).toEqual({ ok: false, message: "Simulated users cannot link, verify or own accounts." });
    }
    expect(await rows()).toEqual(before);
  });

  it("refuses a real caller's link request that targets a sim: id", async () => {
    const caller = chatUser("twitch");
    await rpc.listLinks(caller);
    const before = await rows();
    const reply = await rpc.startLink(caller, { platform: "discord", username: `sim:${crypto.randomUUID()}` });
    expect(reply.ok).toBe(false);
    expect(await rows()).toEqual(before);
  });

  it("a code sent to a real account cannot be redeemed by a sim: caller", async () => {
    const onTwitch = chatUser("twitch");
    const onDiscord = chatUser("discord");
    await rpc.listLinks(onDiscord);
    expect((await rpc.startLink(onTwitch, { platform: "discord", username: onDiscord.username })).ok).toBe(true);
    const code = await discordCodeFor(onDiscord.platformUserId);
    expect((await rpc.verifyLink({ ...simulated(), platformUserId: `sim:${onDiscord.platformUserId}` }, code)).ok).toBe(
      false,
    );
    expect(
      await count(
        "SELECT count(*) AS n FROM verification_codes WHERE target_platform_user_id = ? AND attempts = 0 AND used_at IS NULL",
        onDiscord.platformUserId,
      ),
    ).toBe(1);
    // The code still works for the identity that asked for it (linking/link-policy.ts).
    expect((await rpc.verifyLink(onTwitch, code)).ok).toBe(true);
  });

  it("never creates a platform user for a sim: id (shared helper used by ingress, OAuth and linking)", async () => {
    const before = await rows();
    await expect(ensurePlatformUser(env.DB, "discord", `sim:${crypto.randomUUID()}`, "x")).rejects.toThrow(
      /Simulated users/,
    );
    expect(await rows()).toEqual(before);
  });
});
