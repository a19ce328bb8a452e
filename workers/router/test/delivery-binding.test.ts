import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { fakeControl } from "../../../test/shared/fake-control.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";

const fake = fakeControl(env.FAKE_PLATFORM_URL);

// The router reaches the delivery service over its DELIVERY binding (wrangler.toml), as the
// scheduler, workflows and reminders will: a message to its own Twitch channel goes out, one
// to another community's is refused, and nothing is sent for it.
it("sends through DELIVERY to the community's own channel and is refused another's", async () => {
  const mine = await createCommunity();
  const other = await createCommunity();
  const ok = await env.DELIVERY.send({
    communityId: mine.id,
    platform: "twitch",
    channel: mine.platformIds.twitch,
    message: { text: "from the router" },
  });
  expect(ok).toEqual({ ok: true, status: "sent" });
  const refused = await env.DELIVERY.send({
    communityId: mine.id,
    platform: "twitch",
    channel: other.platformIds.twitch,
    message: { text: "not yours" },
  });
  expect(refused).toMatchObject({ ok: false, error: "refused" });
  const sent = (await fake.requests("/helix/chat/messages")).map(
    (r) => r.body as { broadcaster_id: string; message: string },
  );
  expect(sent.filter((b) => b.broadcaster_id === mine.platformIds.twitch).map((b) => b.message)).toEqual([
    "from the router",
  ]);
  expect(sent.some((b) => b.broadcaster_id === other.platformIds.twitch)).toBe(false);
});
