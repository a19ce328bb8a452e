import { describe, expect, it } from "vitest";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { chat, fake, installModule, send, texts, webhookAt } from "./support/router.ts";

type Community = Awaited<ReturnType<typeof createCommunity>>;

async function listener(
  community: Community,
  opts: { priority: number; parallel?: boolean; text?: string; status?: number; delayMs?: number },
) {
  const hook = webhookAt(opts.delayMs ? 150 : undefined);
  await fake.script({
    method: "POST",
    path: hook.path,
    status: opts.status ?? 200,
    delayMs: opts.delayMs,
    body: { replies: opts.text ? [{ type: "chat", text: opts.text }] : [] },
  });
  await installModule(community.id, {
    engine: "webhook",
    config: hook.config,
    triggers: ["follow", "raid"],
    priority: opts.priority,
    parallel: opts.parallel ?? false,
  });
  return hook;
}

const follow = (community: Community) =>
  chat(
    community,
    "",
    { id: "new-follower" },
    { type: "follow", text: undefined, platform: "twitch", communityPlatformId: community.platformIds.twitch },
  );

describe("modules triggered by platform events", () => {
  it("runs every listening module in priority order; a failing one never drops the others", async () => {
    const community = await createCommunity();
    await listener(community, { priority: 30, text: "third" });
    await listener(community, { priority: 10, text: "first" });
    await listener(community, { priority: 20, status: 500 });
    await listener(community, { priority: 25, delayMs: 2_000, text: "too slow" });
    const out = await send(follow(community));
    expect(out.status).toBe("processed");
    expect(texts(out)).toEqual(["first", "third"]);
  });

  it("runs parallel modules together and keeps their replies in priority order", async () => {
    const community = await createCommunity();
    const a = await listener(community, { priority: 1, parallel: true, text: "a" });
    const b = await listener(community, { priority: 2, parallel: true, text: "b" });
    const c = await listener(community, { priority: 3, text: "c" });
    expect(texts(await send(follow(community)))).toEqual(["a", "b", "c"]);
    // Sequential c was called after both parallel ones had answered.
    const [ra] = await fake.requests(a.path);
    const [rb] = await fake.requests(b.path);
    const [rc] = await fake.requests(c.path);
    expect(rc!.at).toBeGreaterThanOrEqual(Math.max(ra!.at, rb!.at));
  });

  it("ignores an event nobody listens to", async () => {
    const community = await createCommunity();
    await listener(community, { priority: 1, text: "x" });
    expect((await send(chat(community, "", {}, { type: "cheer", text: undefined }))).status).toBe("ignored");
  });
});
