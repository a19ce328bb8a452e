import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EVENTSUB_TYPES } from "../../../lib/platforms/eventsub-types.ts";
import { fakeControl } from "../../../test/shared/fake-control.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { json } from "./overlays-support.ts";

const fake = fakeControl(env.FAKE_PLATFORM_URL);

async function owned(role: "owner" | "admin" = "owner") {
  const c = await createCommunity();
  const { authorization } = await createUserWithKey({ communityId: c.id, role });
  return { ...c, authorization };
}

describe("platform set-up from the admin API", () => {
  it("registers /waddlebot and the community's own commands in its Discord server", async () => {
    const c = await owned();
    const name = `hug${crypto.randomUUID().slice(0, 6)}`;
    expect(
      (await json("POST", `/api/v1/communities/${c.id}/commands`, c.authorization, { name, response: "hi" })).status,
    ).toBe(201);
    const res = await json("POST", `/api/v1/communities/${c.id}/platforms/discord/commands`, c.authorization);
    expect(res.status).toBe(200);
    const put = await fake.waitFor(`/guilds/${c.platformIds.discord}/commands`, (r) => r.method === "PUT");
    const names = (put.body as { name: string }[]).map((cmd) => cmd.name);
    expect(names).toEqual(expect.arrayContaining(["waddlebot", name, "ping"]));
    expect(put.headers.authorization).toBe(
      `Bot ${(env as unknown as { DISCORD_BOT_TOKEN: string }).DISCORD_BOT_TOKEN}`,
    );
  });

  it("creates every EventSub subscription for the community's broadcaster", async () => {
    const c = await owned();
    const callbackUrl = "https://webhooks.example/twitch/eventsub";
    const res = await json("POST", `/api/v1/communities/${c.id}/platforms/twitch/subscriptions`, c.authorization, {
      callbackUrl,
    });
    expect(res.status).toBe(200);
    const body = await res.json<{ data: { status: string }[] }>();
    expect(body.data.map((r) => r.status)).toEqual(Object.keys(EVENTSUB_TYPES).map(() => "created"));
    const created = (await fake.requests("/helix/eventsub/subscriptions")).filter((r) =>
      JSON.stringify(r.body).includes(c.platformIds.twitch),
    );
    expect(created).toHaveLength(Object.keys(EVENTSUB_TYPES).length);
    expect(created[0]?.body).toMatchObject({ transport: { method: "webhook", callback: callbackUrl } });
  });

  it("refuses a callback that is not an http(s) URL with 400", async () => {
    const c = await owned();
    const res = await json("POST", `/api/v1/communities/${c.id}/platforms/twitch/subscriptions`, c.authorization, {
      callbackUrl: "javascript:alert(1)",
    });
    expect(res.status).toBe(400);
  });

  it("is for owners only: an admin is refused with 403", async () => {
    const c = await owned("admin");
    expect((await json("POST", `/api/v1/communities/${c.id}/platforms/discord/commands`, c.authorization)).status).toBe(
      403,
    );
  });
});
