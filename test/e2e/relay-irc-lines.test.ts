import type { AddressInfo } from "node:net";
import { createServer, type Socket } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { newMetrics } from "../../gateway-relay/src/metrics.ts";
import { TwitchRelay } from "../../gateway-relay/src/twitch.ts";
import type { RelayEvent } from "../../lib/relay/protocol.ts";
import { eventually } from "../shared/sign.ts";

/**
 * A scripted IRC server (plain TCP), for what ngircd never sends: Twitch's IRCv3 tags and lines
 * that are not IRC at all. The relay must map the tags and skip the garbage without stopping.
 */
async function scriptedIrc() {
  const clients: Socket[] = [];
  let nick = "";
  const server = createServer((socket) => {
    clients.push(socket);
    socket.on("error", () => {});
    let buffer = "";
    socket.on("data", (chunk) => {
      buffer += String(chunk);
      let i = buffer.indexOf("\r\n");
      while (i >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        i = buffer.indexOf("\r\n");
        if (line.startsWith("CAP LS")) socket.write(":tmi.test CAP * LS :twitch.tv/tags twitch.tv/commands\r\n");
        else if (line.startsWith("CAP REQ")) socket.write(`:tmi.test CAP * ACK :${line.split(":")[1]}\r\n`);
        else if (line.startsWith("NICK ")) nick = line.slice(5);
        else if (line.startsWith("USER "))
          socket.write(`:tmi.test 001 ${nick} :Welcome\r\n:tmi.test 376 ${nick} :>\r\n`);
        else if (line.startsWith("JOIN ")) {
          for (const ch of line.slice(5).split(",")) socket.write(`:${nick}!${nick}@${nick}.tmi.test JOIN ${ch}\r\n`);
        } else if (line.startsWith("PING")) socket.write(`PONG${line.slice(4)}\r\n`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    send: (raw: string) => {
      for (const c of clients) c.write(raw);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("gateway relay: IRC lines", () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it("maps Twitch tags (ids, badges → roles) and skips lines that are not IRC without stopping", async () => {
    const irc = await scriptedIrc();
    cleanup.push(irc.close);
    const events: RelayEvent[] = [];
    const metrics = newMetrics();
    const relay = new TwitchRelay({
      irc: { host: "127.0.0.1", port: irc.port, ssl: false },
      botLevel: "none",
      metrics,
      emit: (e) => events.push(e),
      log: () => {},
    });
    cleanup.push(() => relay.stop());
    await relay.assign([{ login: "penguins", broadcasterId: "4242" }], null);
    expect(relay.held()).toEqual(["penguins"]);

    irc.send("\u0000\u0001garbage without a command\r\n");
    irc.send(":::: :::\r\n");
    irc.send("@badly=formed;tags PRIVMSG\r\n");
    irc.send(`:${"x".repeat(600)}\r\n`);
    irc.send(":someone!someone@tmi.test PRIVMSG #elsewhere :not our channel\r\n");
    irc.send(
      "@badge-info=subscriber/8;badges=moderator/1,subscriber/6;display-name=Pingu;id=msg-123;mod=1;room-id=4242;subscriber=1;user-id=777 " +
        ":pingu!pingu@pingu.tmi.test PRIVMSG #penguins :!ping\r\n",
    );
    const event = await eventually(async () => events[0]);
    expect(event).toMatchObject({
      id: "twitch-irc:msg-123",
      platform: "twitch",
      communityPlatformId: "4242",
      text: "!ping",
      user: { id: "777", username: "pingu", displayName: "Pingu", isModerator: true, isSubscriber: true },
      reply: { kind: "twitch", broadcasterId: "4242", replyToMessageId: "msg-123" },
    });
    expect(event.user.roles).toEqual(["moderator", "subscriber"]);
    expect(events).toHaveLength(1);
    expect(metrics.twitchConnected).toBe(true);
    expect(metrics.malformed).toBeGreaterThanOrEqual(3); // the lines twurple could not parse, counted
  });
});
