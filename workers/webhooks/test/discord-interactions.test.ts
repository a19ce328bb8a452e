import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { snowflake } from "../../../test/shared/ids.ts";
import { discordHeaders } from "../../../test/shared/sign.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { auditRows, oversized, post, vars } from "../../../test/workerd/ingress.ts";
import { call } from "../../../test/workerd/self.ts";

function interaction(guildId: string | undefined, type: number, data: Record<string, unknown>, permissions = "0") {
  return {
    id: snowflake(),
    application_id: vars.DISCORD_APPLICATION_ID,
    type,
    token: `tok-${crypto.randomUUID()}`,
    ...(guildId ? { guild_id: guildId } : {}),
    channel_id: snowflake(),
    member: {
      user: { id: snowflake(), username: "penguin", global_name: "Penguin" },
      roles: ["111"],
      permissions,
    },
    data,
  };
}

const slash = (guildId: string | undefined, text: string) =>
  interaction(guildId, 2, { name: "waddlebot", type: 1, options: [{ name: "command", type: 3, value: text }] });

async function send(payload: unknown) {
  const body = JSON.stringify(payload);
  return post("/discord/interactions", body, await discordHeaders(vars.TEST_DISCORD_PRIVATE_KEY, body));
}

describe("Discord interactions", () => {
  it("answers /waddlebot command:ping inline (type 4) with the router's reply", async () => {
    const community = await createCommunity();
    const res = await send(slash(community.platformIds.discord, "ping"));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ type: 4, data: { content: "pong" } });
  });

  it("processes the same interaction once when it is delivered three times", async () => {
    const community = await createCommunity();
    const payload = slash(community.platformIds.discord, "ping");
    const bodies = [];
    for (let i = 0; i < 3; i++) bodies.push(await (await send(payload)).json<{ data: { content: string } }>());
    expect(bodies.map((b) => b.data.content)).toEqual(["pong", "Already handled.", "Already handled."]);
  });

  it("answers an unknown command ephemerally instead of leaving Discord waiting", async () => {
    const community = await createCommunity();
    const res = await send(slash(community.platformIds.discord, "nosuchcommand"));
    expect(await res.json()).toMatchObject({ type: 4, data: { flags: 64 } });
  });

  it("acknowledges a button click whose event needs no reply with type 6", async () => {
    const community = await createCommunity();
    const res = await send(interaction(community.platformIds.discord, 3, { custom_id: "poll:yes", component_type: 2 }));
    expect(await res.json()).toEqual({ type: 6 });
  });

  it("refuses a custom_id longer than Discord allows with 400", async () => {
    const community = await createCommunity();
    const res = await send(
      interaction(community.platformIds.discord, 3, { custom_id: "x".repeat(101), component_type: 2 }),
    );
    expect(res.status).toBe(400);
  });

  it("accepts a modal submission", async () => {
    const community = await createCommunity();
    const res = await send(
      interaction(community.platformIds.discord, 5, {
        custom_id: "feedback",
        components: [{ type: 1, components: [{ type: 4, custom_id: "text", value: "great bot" }] }],
      }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ type: 4 });
  });

  it("offers at most 25 autocomplete choices, from the community's commands, filtered by what was typed", async () => {
    const community = await createCommunity();
    const auto = (value: string) =>
      interaction(community.platformIds.discord, 4, {
        name: "waddlebot",
        options: [{ name: "command", type: 3, value, focused: true }],
      });
    const all = await (await send(auto(""))).json<{ type: number; data: { choices: { value: string }[] } }>();
    expect(all.type).toBe(8);
    expect(all.data.choices.length).toBeGreaterThan(0);
    expect(all.data.choices.length).toBeLessThanOrEqual(25);
    const some = await (await send(auto("pi"))).json<{ data: { choices: { value: string }[] } }>();
    expect(some.data.choices.map((c) => c.value)).toEqual(["ping"]);
  });

  it("acknowledges an interaction from a server we do not know, records it, and does not route it", async () => {
    const guildId = snowflake();
    const res = await send(slash(guildId, "ping"));
    expect(res.status).toBe(200);
    const body = await res.json<{ type: number; data: { content: string; flags: number } }>();
    expect(body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(body.data.content).not.toBe("pong");
    const rows = await auditRows("ingress.unknown_community", guildId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.outcome).toBe("denied");
  });

  it("refuses malformed JSON with 400, even when correctly signed", async () => {
    const body = '{"type": 2, "id": ';
    const res = await post("/discord/interactions", body, await discordHeaders(vars.TEST_DISCORD_PRIVATE_KEY, body));
    expect(res.status).toBe(400);
  });

  it("refuses a signed interaction that is not an interaction (missing id) with 400", async () => {
    const body = JSON.stringify({ type: 2 });
    const res = await post("/discord/interactions", body, await discordHeaders(vars.TEST_DISCORD_PRIVATE_KEY, body));
    expect(res.status).toBe(400);
  });

  it("refuses a body over 256 KiB with 413 before checking anything else", async () => {
    const body = oversized(256 * 1024 + 1);
    const res = await post("/discord/interactions", body, { "content-type": "application/json" });
    expect(res.status).toBe(413);
  });

  it("refuses an oversized body that does not declare its length", async () => {
    const big = oversized(300 * 1024);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const res = await call("/discord/interactions", { method: "POST", body: stream });
    expect(res.status).toBe(413);
  });

  it("answers GET with 405 and Allow: POST", async () => {
    const res = await call("/discord/interactions");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });

  it("leaves no points and no user rows behind for a refused request", async () => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM users").first<{ n: number }>();
    await post("/discord/interactions", "{}", { "content-type": "application/json" });
    const after = await env.DB.prepare("SELECT count(*) AS n FROM users").first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });
});
