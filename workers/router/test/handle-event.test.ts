import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { commands } from "../../../lib/db/schema/index.ts";
import { released } from "../../../lib/rpc.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { api, chat, router, send, texts } from "./support/router.ts";

async function communityWithAdmin() {
  const community = await createCommunity();
  const { authorization } = await createUserWithKey({ communityId: community.id, role: "admin" });
  return { community, authorization, base: `/api/v1/communities/${community.id}` };
}

describe("handleEvent over RPC", () => {
  it("answers unknown_community for a platform space nobody linked", async () => {
    const out = await send(chat({ id: "x", platformIds: { discord: "999", twitch: "1", slack: "T" } }, "!ping"));
    expect(out).toMatchObject({ status: "unknown_community", replies: [] });
  });

  it("ignores chat that is not a command, and unknown commands, quietly", async () => {
    const community = await createCommunity();
    expect(await send(chat(community, "hello there"))).toMatchObject({ status: "ignored", replies: [] });
    expect(await send(chat(community, "!nosuchcommand"))).toMatchObject({ status: "ignored", replies: [] });
  });

  it("runs the built-ins !ping, !commands and !uptime (offline)", async () => {
    const community = await createCommunity();
    expect(texts(await send(chat(community, "!PING")))).toEqual(["pong"]);
    expect(texts(await send(chat(community, "!commands")))[0]).toMatch(/!help.*!ping.*!uptime/);
    expect(texts(await send(chat(community, "!uptime")))).toEqual(["The stream is offline."]);
  });

  it("!help lists only the commands the caller may run", async () => {
    const { community, authorization, base } = await communityWithAdmin();
    await api("POST", `${base}/commands`, authorization, { name: "modonly", response: "x", minLevel: "moderator" });
    const viewer = texts(await send(chat(community, "!help")))[0];
    expect(viewer).toMatch(/!ping/);
    expect(viewer).not.toMatch(/!modonly/);
    expect(texts(await send(chat(community, "!help", { isModerator: true })))[0]).toMatch(/!modonly/);
    expect(texts(await send(chat(community, "!help ping")))[0]).toMatch(/^!ping: /);
  });

  it("!uptime reports the time since stream_online", async () => {
    const community = await createCommunity();
    const online = chat(community, "", {}, { type: "stream_online", text: undefined });
    online.receivedAt = new Date(Date.now() - 3_725_000).toISOString();
    await send(online);
    // The live state is written after the answer (waitUntil); poll until it is visible.
    let reply: string | undefined;
    for (let i = 0; i < 50 && !reply?.startsWith("Live"); i++) {
      reply = texts(await send(chat(community, "!uptime")))[0];
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(reply).toMatch(/^Live for 1h 2m/);
  });

  it("answers a custom text command with its variables filled", async () => {
    const { community, authorization, base } = await communityWithAdmin();
    const created = await api("POST", `${base}/commands`, authorization, {
      name: "Hug",
      response: "{user} hugs {arg1} in {channel} on {platform} (hug #{count}) [{args}]",
    });
    expect(created.status).toBe(201);
    const out = await send(chat(community, '!hug "Big Bob" now', { displayName: "Pingu" }));
    expect(out.status).toBe("processed");
    expect(texts(out)).toEqual(['Pingu hugs Big Bob in general on discord (hug #1) ["Big Bob" now]']);
    expect(texts(await send(chat(community, "!hug x")))[0]).toMatch(/hug #2/);
  });

  it("lets a community command override a global one and a built-in", async () => {
    const { community, authorization, base } = await communityWithAdmin();
    const other = await createCommunity();
    const db = createDb(env.DB);
    const name = `g${crypto.randomUUID().slice(0, 6)}`;
    await db.insert(commands).values({ communityId: null, name, response: "global answer" });
    await api("POST", `${base}/commands`, authorization, { name, response: "community answer" });
    await api("POST", `${base}/commands`, authorization, { name: "ping", response: "our own pong" });
    expect(texts(await send(chat(community, `!${name}`)))).toEqual(["community answer"]);
    expect(texts(await send(chat(other, `!${name}`)))).toEqual(["global answer"]);
    expect(texts(await send(chat(community, "!ping")))).toEqual(["our own pong"]);
  });

  it("skips a disabled command, and a command disabled in this channel", async () => {
    const { community, authorization, base } = await communityWithAdmin();
    const a = await api<{ id: string }>("POST", `${base}/commands`, authorization, { name: "aa", response: "A" });
    await api("POST", `${base}/commands`, authorization, {
      name: "bb",
      response: "B",
      disabledChannels: ["c-general"],
    });
    await api("PATCH", `${base}/commands/${a.data.id}`, authorization, { enabled: false });
    expect(await send(chat(community, "!aa"))).toMatchObject({ status: "ignored" });
    expect(await send(chat(community, "!bb"))).toMatchObject({ status: "ignored" });
    expect(texts(await send(chat(community, "!bb", {}, { channel: { id: "c-other" } })))).toEqual(["B"]);
  });

  it("refuses a caller below the command's level and lets one at or above it run", async () => {
    const { community, authorization, base } = await communityWithAdmin();
    await api("POST", `${base}/commands`, authorization, { name: "vipcmd", response: "ok", minLevel: "vip" });
    expect(await send(chat(community, "!vipcmd", { badges: ["subscriber/3"] }))).toMatchObject({ status: "denied" });
    expect(texts(await send(chat(community, "!vipcmd", { isVip: true })))).toEqual(["ok"]);
    expect(texts(await send(chat(community, "!vipcmd", { isBroadcaster: true })))).toEqual(["ok"]);
  });

  it("reads a slash command's text as a ! command", async () => {
    const community = await createCommunity();
    expect(texts(await send(chat(community, "ping", {}, { type: "slash_command" })))).toEqual(["pong"]);
  });

  it("ignores an event that does not validate, without throwing across RPC", async () => {
    const community = await createCommunity();
    expect(await send({ ...chat(community, "!ping"), platform: "myspace" as never })).toEqual({
      status: "ignored",
      replies: [],
    });
  });

  it("takes the community the webhooks worker resolved instead of resolving the platform space again", async () => {
    const community = await createCommunity();
    // A space nobody linked: only the passed community can make this event known.
    const event = chat({ ...community, platformIds: { ...community.platformIds, discord: "555000555" } }, "!ping");
    expect(await send(event)).toMatchObject({ status: "unknown_community" });
    const out = await router.handleEvent(event as never, { communityId: community.id });
    expect(out).toMatchObject({ status: "processed", communityId: community.id });
    expect(texts(out)).toEqual(["pong"]);
  });

  it("still refuses a simulated user on the resolved (unparsed) path", async () => {
    const community = await createCommunity();
    for (const id of ["sim:abc", "SIM:abc"]) {
      const out = await router.handleEvent(chat(community, "!ping", { id }) as never, { communityId: community.id });
      expect(out, id).toEqual({ status: "ignored", replies: [] });
    }
  });

  it("an RPC result released at once (as the webhooks worker does) keeps its data readable", async () => {
    const community = await createCommunity();
    const out = await router.handleEvent(chat(community, "!ping") as never, { communityId: community.id });
    // A real RPC result: workerd gives it a disposer, which must be called rather than left to the GC.
    expect(typeof (out as Partial<Disposable>)[Symbol.dispose]).toBe("function");
    expect(released(out)).toBe(out);
    expect(out).toMatchObject({ status: "processed", communityId: community.id });
    expect(texts(out)).toEqual(["pong"]);
  });
});
