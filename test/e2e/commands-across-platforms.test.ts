/**
 * A custom command and a webhook module, made through the admin API, answering through
 * Discord, Slack and Twitch: signed platform request in → router → reply out at the platform.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { hmacSha256Hex } from "../../lib/crypto/hmac.ts";
import { adminApi, type ChatUser, discordSlash, slackSlash, snowflake, twitchChat } from "./platforms.ts";

const community = inject("demoCommunityId");
const suffix = crypto.randomUUID().slice(0, 6);
const discordUser: ChatUser = { id: snowflake(), name: "Pingu" };
const slackUser: ChatUser = { id: `U${suffix.toUpperCase()}`, name: "robby" };
const twitchUser: ChatUser = { id: String(Math.floor(Math.random() * 1e9)), name: "Pinga" };

describe("a custom text command, made in the admin API", () => {
  const name = `hug${suffix}`;

  beforeAll(async () => {
    const res = await adminApi("POST", `/api/v1/communities/${community}/commands`, {
      name,
      response: "{user} hugs {arg1} on {platform}!",
    });
    expect(res.status).toBe(201);
  });

  it("answers on Discord (interaction response)", async () => {
    expect(await discordSlash(discordUser, `${name} Bob`)).toBe("Pingu hugs Bob on discord!");
  });

  it("answers on Slack (response_url)", async () => {
    expect(await slackSlash(slackUser, `${name} Bob`)).toBe("robby hugs Bob on slack!");
  });

  it("answers on Twitch (Helix chat message)", async () => {
    expect(await twitchChat(twitchUser, `!${name} Bob`)).toBe("Pinga hugs Bob on twitch!");
  });
});

describe("a webhook module (a local HTTP server), installed through the admin API", () => {
  const secret = `module-secret-${crypto.randomUUID()}`;
  const command = `greet${suffix}`;
  let server: Server;
  const received: { verified: boolean; user: string }[] = [];

  beforeAll(async () => {
    // The module checks WaddleBot's signature exactly as a module author would.
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks).toString("utf8");
      const ts = String(req.headers["x-waddlebot-timestamp"]);
      const sig = String(req.headers["x-waddlebot-signature"]);
      const verified = sig === `sha256=${await hmacSha256Hex(secret, `${ts}.${body}`)}`;
      const payload = JSON.parse(body) as { user?: { displayName?: string; username?: string } };
      const user = payload.user?.displayName || payload.user?.username || "?";
      received.push({ verified, user });
      res.writeHead(verified ? 200 : 401, { "content-type": "application/json" });
      res.end(JSON.stringify(verified ? { replies: [{ type: "chat", text: `Module greets ${user}` }] } : {}));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const res = await adminApi("POST", `/api/v1/communities/${community}/modules`, {
      name: `greeter-${suffix}`,
      engine: "webhook",
      commands: [command],
      config: { url, secret, timeoutMs: 3000 },
    });
    expect(res.status).toBe(201);
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("answers on Discord, Slack and Twitch, every call signed with the module's secret", async () => {
    expect(await discordSlash(discordUser, command)).toBe("Module greets Pingu");
    expect(await slackSlash(slackUser, command)).toBe("Module greets robby");
    expect(await twitchChat(twitchUser, `!${command}`)).toBe("Module greets Pinga");
    expect(received.map((r) => r.verified)).toEqual([true, true, true]);
  });
});
