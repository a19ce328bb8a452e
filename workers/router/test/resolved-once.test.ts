import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EVENTS_QUEUE } from "../../../lib/events/queued-event.ts";
import { fakeControl } from "../../../test/shared/fake-control.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { twitchPing } from "../../../test/workerd/queued-events.ts";
import { deliver } from "../../../test/workerd/router-queue.ts";

const fake = fakeControl(env.FAKE_PLATFORM_URL);

describe("the community is resolved once, at ingress", () => {
  it("the queue consumer routes with the community resolved at ingress, which is not looked up again", async () => {
    const community = await createCommunity();
    // A broadcaster id no community links: only the community on the message can route it.
    const { messageId, event } = twitchPing("4040404040");
    const result = await deliver(
      EVENTS_QUEUE,
      "r1",
      { key: `twitch:${messageId}`, communityId: community.id, event },
      1,
    );
    expect(result.explicitAcks).toEqual(["r1"]);
    const sent = await fake.waitFor(
      "/helix/chat/messages",
      (r) => (r.body as { reply_parent_message_id?: string }).reply_parent_message_id === messageId,
    );
    expect(sent.body).toMatchObject({ message: "pong", broadcaster_id: "4040404040" });
  });
});
