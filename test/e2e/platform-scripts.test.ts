/**
 * `npm run discord:register` and `npm run twitch:subscribe`, run as the real scripts (Node,
 * a child process) against the fake platform API.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";
import { fakeBases, fakeControl } from "../shared/fake-control.ts";

const run = promisify(execFile);
const vars = inject("vars");
const fakeUrl = inject("fakePlatformUrl");
const fake = fakeControl(fakeUrl);
const ROOT = path.resolve(import.meta.dirname, "../..");

const script = (name: string, args: string[]) =>
  run(process.execPath, [path.join(ROOT, "scripts", name), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...vars, ...fakeBases(fakeUrl) },
  });

describe("platform set-up scripts", () => {
  it("discord:register PUTs /waddlebot (with an autocompleted command option) for a guild", async () => {
    const guildId = String(Date.now());
    const { stdout } = await script("discord-register.ts", ["--guild", guildId]);
    expect(stdout).toContain("/waddlebot");
    const path = `/discord/applications/${vars.DISCORD_APPLICATION_ID}/guilds/${guildId}/commands`;
    const [put] = await fake.requests(path);
    expect(put?.method).toBe("PUT");
    expect(put?.headers.authorization).toBe(`Bot ${vars.DISCORD_BOT_TOKEN}`);
    const commands = put?.body as { name: string; options: { name: string; autocomplete?: boolean }[] }[];
    expect(commands.map((c) => c.name)).toEqual(["waddlebot"]);
    expect(commands[0]!.options[0]).toMatchObject({ name: "command", autocomplete: true });
  });

  it("twitch:subscribe creates every EventSub subscription for the broadcaster through Helix", async () => {
    const broadcasterId = String(Math.floor(Math.random() * 1e12));
    const callback = "https://webhooks.example/twitch/eventsub";
    const { stdout } = await script("twitch-subscribe.ts", [broadcasterId, "--callback", callback]);
    expect(stdout).toContain("created");
    // POSTs only: disconnecting a channel (connections.test.ts) DELETEs subscriptions, without a body.
    const created = (await fake.requests("/helix/eventsub/subscriptions")).filter(
      (r) =>
        r.method === "POST" &&
        Object.values((r.body as { condition: Record<string, string> }).condition).includes(broadcasterId),
    );
    const types = created.map((r) => (r.body as { type: string }).type).sort();
    expect(types).toEqual([
      "channel.ban",
      "channel.chat.message",
      "channel.cheer",
      "channel.follow",
      "channel.raid",
      "channel.subscribe",
      "channel.subscription.gift",
      "channel.subscription.message",
      "stream.offline",
      "stream.online",
    ]);
    for (const r of created) {
      expect(r.body).toMatchObject({
        transport: { method: "webhook", callback, secret: vars.TWITCH_EVENTSUB_SECRET },
      });
      expect(r.headers.authorization).toMatch(/^Bearer fake-app-token-/);
    }
  });
});
