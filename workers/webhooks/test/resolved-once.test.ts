import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fakeControl } from "../../../test/shared/fake-control.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { eventSubToChatEvent } from "../src/eventsub-events.ts";
import worker from "../src/index.ts";
import { EVENTS_QUEUE } from "../src/queue/message.ts";

const fake = fakeControl(env.FAKE_PLATFORM_URL);

describe("the community is resolved once, at ingress", () => {
  it("the queue consumer hands the router the community it resolved, which is not looked up again", async () => {
    const community = await createCommunity();
    const messageId = crypto.randomUUID();
    // A broadcaster id no community links: only the community on the message can route it.
    const event = eventSubToChatEvent(messageId, "channel.chat.message", {
      broadcaster_user_id: "4040404040",
      chatter_user_id: String(Math.floor(Math.random() * 1e9)),
      chatter_user_login: "viewer",
      message_id: messageId,
      message: { text: "!ping" },
    });
    if (!event) throw new Error("not an event");
    const batch = createMessageBatch(EVENTS_QUEUE, [
      {
        id: "r1",
        timestamp: new Date(),
        attempts: 1,
        body: { key: `twitch:${messageId}`, communityId: community.id, event },
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env as unknown as Parameters<typeof worker.queue>[1]);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["r1"]);
    const sent = await fake.waitFor(
      "/helix/chat/messages",
      (r) => (r.body as { reply_parent_message_id?: string }).reply_parent_message_id === messageId,
    );
    expect(sent.body).toMatchObject({ message: "pong", broadcaster_id: "4040404040" });
  });
});
