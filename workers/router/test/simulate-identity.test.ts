/**
 * The account-takeover through simulate (issue 10, item 1): a moderator simulating chat as
 * another platform user must never link, verify or create an account for them.
 */
import { describe, expect, it } from "vitest";
import { fakeTwitchId } from "../../../test/shared/fake-control.ts";
import { chat, send, texts } from "./support/router.ts";
import { count, simSetup } from "./support/simulate.ts";

const REFUSED = /cannot be simulated/;
/** A Discord-shaped id (19 digits) nobody has used yet. */
const victimId = () => `4${Date.now()}${String(Math.floor(Math.random() * 1e5)).padStart(5, "0")}`;

describe("simulate refuses identity built-ins", () => {
  it("a moderator simulating `!identity link` as a victim's Discord id gets a refusal; no code, no identity row", async () => {
    const { simulateOk } = await simSetup();
    const victim = victimId();
    const attackerLogin = `att${crypto.randomUUID().slice(0, 8)}`;
    const out = await simulateOk({
      platform: "discord",
      userId: victim,
      text: `!identity link twitch ${attackerLogin}`,
    });
    // startLink writes its code before it answers, so the rows are checked right after the answer.
    expect(
      await count(
        "SELECT count(*) AS n FROM verification_codes WHERE target_platform = 'twitch' AND target_platform_user_id = ?",
        fakeTwitchId(attackerLogin),
      ),
    ).toBe(0);
    expect(await count("SELECT count(*) AS n FROM user_identities WHERE platform_user_id = ?", victim)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM user_identities WHERE platform_user_id LIKE 'sim:%'")).toBe(0);
    expect(texts(out)).toEqual([expect.stringMatching(REFUSED)]);
    expect(out.wouldDo).toContain("run !identity (refused in simulation)");
  });

  it("`!verify` simulated as the target of a real link request is refused and does not spend a try", async () => {
    const { community, simulateOk } = await simSetup();
    const victim = victimId();
    // A real Twitch user asks to link the victim's Discord account: a code goes to the victim's DM.
    const requester = { id: `6${Date.now() % 1e9}`, username: `tw${crypto.randomUUID().slice(0, 6)}` };
    const started = await send(
      chat(community, `!identity link discord ${victim}`, requester, {
        platform: "twitch",
        communityPlatformId: community.platformIds.twitch,
      }),
    );
    expect(texts(started).join()).toContain("!verify");
    const attempts = () =>
      count(
        "SELECT coalesce(sum(attempts), 0) AS n FROM verification_codes WHERE target_platform = 'discord' AND target_platform_user_id = ?",
        victim,
      );
    expect(await count("SELECT count(*) AS n FROM verification_codes WHERE target_platform_user_id = ?", victim)).toBe(
      1,
    );
    const out = await simulateOk({ platform: "discord", userId: victim, text: "!verify ABC234" });
    expect(await attempts()).toBe(0);
    expect(texts(out)).toEqual([expect.stringMatching(REFUSED)]);
    expect(
      await count(
        "SELECT count(*) AS n FROM verification_codes WHERE target_platform_user_id = ? AND used_at IS NOT NULL",
        victim,
      ),
    ).toBe(0);
  });

  it("never creates a user, identity or membership (no activity points) for a simulated user", async () => {
    const { community, simulateOk } = await simSetup();
    const before = {
      users: await count("SELECT count(*) AS n FROM users"),
      identities: await count("SELECT count(*) AS n FROM user_identities"),
      members: await count("SELECT count(*) AS n FROM community_members WHERE community_id = ?", community.id),
      points: await count(
        "SELECT coalesce(sum(points), 0) AS n FROM community_members WHERE community_id = ?",
        community.id,
      ),
    };
    for (const text of ["!ping", "!identity", "!identity unlink twitch", "!verify ABC234", "hello there"]) {
      await simulateOk({ text }, text === "hello there" ? "ignored" : "processed");
    }
    expect({
      users: await count("SELECT count(*) AS n FROM users"),
      identities: await count("SELECT count(*) AS n FROM user_identities"),
      members: await count("SELECT count(*) AS n FROM community_members WHERE community_id = ?", community.id),
      points: await count(
        "SELECT coalesce(sum(points), 0) AS n FROM community_members WHERE community_id = ?",
        community.id,
      ),
    }).toEqual(before);
  });

  it("acts as a synthetic sim: user; a caller's userId is only a label inside that namespace", async () => {
    const { moderator, simulateOk, simulate } = await simSetup();
    const plain = await simulateOk({ text: "!ping" });
    expect(plain.simulated).toBe(true);
    expect(plain.user.id).toBe(`sim:${moderator.userId}`);
    const labelled = await simulateOk({ text: "!ping", userId: "123456789012345678" });
    expect(labelled.user.id).toBe(`sim:${moderator.userId}:123456789012345678`);
    for (const userId of ["sim:someone", "a b", "x".repeat(21), "<@123>"]) {
      expect((await simulate({ text: "!ping", userId })).status, userId).toBe(400);
    }
  });

  it("an event from outside (RPC handleEvent, relay, batch) cannot claim a sim: user id", async () => {
    const { community } = await simSetup();
    for (const id of ["sim:abc", "SIM:abc", " sim:abc"]) {
      const out = await send(chat(community, "!ping", { id }));
      expect(out.status, id).toBe("ignored");
      expect(out.replies).toEqual([]);
    }
  });
});
