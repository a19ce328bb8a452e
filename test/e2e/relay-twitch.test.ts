import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ngircdMissing } from "../support/ngircd.ts";
import { type RelaySystem, startRelaySystem } from "./relay-system.ts";

/** Twitch chat over real IRC (ngircd) → relay → /relay/events → router → reply through the Outbox (Helix). */
describe.skipIf(ngircdMissing)("gateway relay: Twitch IRC", () => {
  let sys: RelaySystem;
  beforeAll(async () => {
    sys = await startRelaySystem();
  }, 60_000);
  afterAll(async () => sys?.close());

  it("forwards !ping typed in a connected channel and the reply goes out through Helix", async () => {
    const broadcasterId = await sys.connectTwitch("pingchannel");
    const relay = await sys.relay();
    const chatter = await sys.irc.user("viewer1");
    await chatter.join("pingchannel");
    await chatter.waitMember("pingchannel", "justinfan");
    chatter.say("pingchannel", "!ping");
    const sent = await sys.fake.waitFor(
      "/helix/chat/messages",
      (r) => (r.body as { broadcaster_id?: string }).broadcaster_id === broadcasterId,
      15_000,
    );
    expect(sent.body).toMatchObject({ message: "pong" });
    expect(relay.metrics.eventsForwarded).toBeGreaterThanOrEqual(1);
    chatter.quit();
  });
});
