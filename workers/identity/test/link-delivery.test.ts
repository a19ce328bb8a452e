import { describe, expect, it } from "vitest";
import { fakeTwitchId } from "../../../test/shared/fake-control.ts";
import { eventually } from "../../../test/shared/sign.ts";
import { identityRpc as rpc } from "./helpers.ts";
import { chatUser, fake } from "./link-helpers.ts";

describe("link codes leave through the delivery service", () => {
  it("whispers keep the bot's send limit (3 per second): a fourth code waits in the Outbox, then arrives", async () => {
    const logins = Array.from({ length: 4 }, (_, i) => `lim${i}${Date.now()}`);
    const ids = logins.map(fakeTwitchId);
    const mine = async () =>
      (await fake.requests("/helix/whispers")).filter((r) => ids.some((id) => r.path.includes(`to_user_id=${id}`)));
    // Four people ask at once, each for a different Twitch account (per-requester limits do not apply).
    const replies = await Promise.all(
      logins.map((login) => rpc.startLink(chatUser("discord"), { platform: "twitch", username: login })),
    );
    expect(replies.every((r) => r.ok)).toBe(true);
    // Straight past the identity worker they would all be out now; the Outbox lets three through.
    expect((await mine()).length).toBeLessThanOrEqual(3);
    // The held one goes out when the window moves (the Outbox's alarm), not dropped.
    expect(await eventually(async () => ((await mine()).length === 4 ? true : undefined), 10_000)).toBe(true);
  });

  it("a platform that refuses the DM for good makes the link request fail and keeps no code", async () => {
    const target = chatUser("discord");
    await rpc.listLinks(target); // the bot has seen them, so the name resolves
    await fake.script({
      path: `/discord/channels/dm-${target.platformUserId}/messages`,
      status: 403,
      body: { code: 50007 },
    });
    const reply = await rpc.startLink(chatUser("twitch"), { platform: "discord", username: target.username });
    expect(reply).toMatchObject({ ok: false, message: expect.stringContaining("could not message") });
  });
});
