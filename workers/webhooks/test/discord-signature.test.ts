import { describe, expect, it } from "vitest";
import { discordHeaders, otherDiscordKey, unixSeconds } from "../../../test/shared/sign.ts";
import { post, vars } from "../../../test/workerd/ingress.ts";

const ping = JSON.stringify({ id: "1", application_id: vars.DISCORD_APPLICATION_ID, type: 1 });

describe("Discord interactions: signatures", () => {
  it("answers a signed PING with PONG", async () => {
    const res = await post("/discord/interactions", ping, await discordHeaders(vars.TEST_DISCORD_PRIVATE_KEY, ping));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: 1 });
  });

  it("rejects a request without signature headers with 401", async () => {
    const res = await post("/discord/interactions", ping, { "content-type": "application/json" });
    expect(res.status).toBe(401);
  });

  it("rejects a forged signature (valid shape, wrong bytes) with 401", async () => {
    const headers = await discordHeaders(vars.TEST_DISCORD_PRIVATE_KEY, ping);
    const flipped =
      (headers["x-signature-ed25519"].startsWith("0") ? "1" : "0") + headers["x-signature-ed25519"].slice(1);
    const res = await post("/discord/interactions", ping, { ...headers, "x-signature-ed25519": flipped });
    expect(res.status).toBe(401);
  });

  it("rejects a signature that is not hex at all with 401", async () => {
    const headers = await discordHeaders(vars.TEST_DISCORD_PRIVATE_KEY, ping);
    const res = await post("/discord/interactions", ping, { ...headers, "x-signature-ed25519": "zz" });
    expect(res.status).toBe(401);
  });

  it("rejects a signature made with another key with 401", async () => {
    const res = await post("/discord/interactions", ping, await discordHeaders(await otherDiscordKey(), ping));
    expect(res.status).toBe(401);
  });

  it("rejects a body changed after signing with 401", async () => {
    const headers = await discordHeaders(vars.TEST_DISCORD_PRIVATE_KEY, ping);
    const res = await post("/discord/interactions", ping.replace('"1"', '"2"'), headers);
    expect(res.status).toBe(401);
  });

  it("rejects a correctly signed but stale timestamp (10 minutes old) with 401", async () => {
    const headers = await discordHeaders(vars.TEST_DISCORD_PRIVATE_KEY, ping, unixSeconds(-600));
    const res = await post("/discord/interactions", ping, headers);
    expect(res.status).toBe(401);
  });
});
