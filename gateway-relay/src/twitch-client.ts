import { StaticAuthProvider } from "@twurple/auth";
import { ChatClient } from "@twurple/chat";
import type { Assignment } from "../../lib/relay/protocol.ts";
import type { Metrics } from "./metrics.ts";

interface ChatClientOptions {
  irc: { host: string; port: number; ssl: boolean };
  botLevel: "none" | "known" | "verified";
  clientId?: string;
  /** The bot account's token from the coordinator; null: anonymous (justinfan). */
  credential: Assignment["twitch"]["credential"];
  metrics: Metrics;
  log(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * One @twurple/chat client over plain IRC (no WebSocket), as the bot when a credential is given.
 * Read-only even as the bot: replies go out over Helix, so the token needs only chat:read. The
 * library checks the token with Twitch's /oauth2/validate before it sends `PASS oauth:<token>`
 * (tests point that check at the fake with twurple's TWURPLE_MOCK_API_PORT).
 */
export function chatClient(o: ChatClientOptions): ChatClient {
  const client = new ChatClient({
    hostName: o.irc.host,
    ssl: o.irc.ssl,
    webSocket: false,
    botLevel: o.botLevel,
    readOnly: true,
    ...(o.credential
      ? { authProvider: new StaticAuthProvider(o.clientId ?? "", o.credential.accessToken, ["chat:read"]) }
      : {}),
    // The library's errors (lines it cannot parse among them) go to our log and are counted.
    logger: {
      minLevel: "error",
      custom: (_level: number, message: string) => {
        if (message.startsWith("Error parsing message")) o.metrics.malformed++;
        o.log("twitch: IRC library error (line skipped)", { message: message.slice(0, 200) });
      },
    },
  });
  setPort(client, o.irc.port);
  return client;
}

/**
 * twurple's ChatClient takes a host but fixes the port by scheme (6667 plain, 6697 TLS); the
 * ircv3 connection under it resolves its target on every (re)connect, so the port is set
 * there. Checked, so a library change that moves it fails loudly instead of dialling 6667.
 */
function setPort(client: ChatClient, port: number): void {
  const target = (client.irc as unknown as { _connection?: { _target?: { port?: number } } })._connection?._target;
  if (!target || typeof target.port !== "number")
    throw new Error("@twurple/chat internals changed: cannot set the IRC port");
  target.port = port;
}
