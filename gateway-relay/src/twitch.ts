import { StaticAuthProvider } from "@twurple/auth";
import { ChatClient } from "@twurple/chat";
import type { RelayEvent, TwitchChannel } from "../../lib/relay/protocol.ts";
import type { Metrics } from "./metrics.ts";
import { chatEvent } from "./twitch-events.ts";

export interface TwitchOptions {
  irc: { host: string; port: number; ssl: boolean };
  botLevel: "none" | "known" | "verified";
  clientId?: string;
  metrics: Metrics;
  emit(event: RelayEvent): void;
  log(msg: string, fields?: Record<string, unknown>): void;
}

const JOIN_WINDOW_MS = 10_000;
const JOIN_LIMIT = { none: 20, known: 20, verified: 2_000 } as const;

type Credential = { login: string; accessToken: string } | null;

/**
 * Twitch chat over IRC with @twurple/chat: the channels assigned to this copy, as the bot
 * account when the coordinator hands a credential, else anonymously (justinfan, read-only:
 * replies go out through the Outbox over Helix anyway). Reconnects with the library's
 * backoff; on every (re)connect the assigned channels are joined again, so joins and parts
 * follow the assignment both ways.
 */
export class TwitchRelay {
  private client: ChatClient | undefined;
  private credential: Credential = null;
  private readonly channels = new Map<string, TwitchChannel>();
  private readonly joined = new Set<string>();
  private readonly joinWaiters = new Map<string, (() => void)[]>();
  private readonly joinQueue = new Set<string>();
  private joinTimes: number[] = [];
  private joinTimer: NodeJS.Timeout | undefined;
  private joinScheduled = false;
  /** Registered with the server (001 seen): JOINs may go out. */
  private registered = false;

  private readonly opts: TwitchOptions;

  constructor(opts: TwitchOptions) {
    this.opts = opts;
  }

  /** Joins what is new, parts what is gone; a new credential reconnects as that account. */
  async assign(channels: TwitchChannel[], credential: Credential): Promise<void> {
    if (JSON.stringify(credential) !== JSON.stringify(this.credential)) {
      this.credential = credential;
      this.stop();
    }
    const wanted = new Map(channels.map((c) => [c.login, c]));
    for (const login of [...this.channels.keys()]) {
      if (wanted.has(login)) continue;
      this.channels.delete(login);
      this.joined.delete(login);
      this.opts.metrics.channelsJoined = this.joined.size;
      this.joinQueue.delete(login);
      if (this.registered) this.client?.irc.part(`#${login}`);
    }
    const added = channels.filter((c) => !this.channels.has(c.login));
    for (const c of channels) this.channels.set(c.login, c);
    this.opts.metrics.channels = this.channels.size;
    if (!this.channels.size) return;
    if (!this.client) this.start();
    else if (this.registered) for (const c of added) this.join(c.login);
    await Promise.all(added.map((c) => this.waitJoined(c.login)));
  }

  /** The channels this copy is in right now (reported to the coordinator). */
  held(): string[] {
    return [...this.joined];
  }

  stop(): void {
    const client = this.client;
    this.client = undefined;
    this.registered = false;
    this.joined.clear();
    this.opts.metrics.channelsJoined = 0;
    this.joinQueue.clear();
    clearTimeout(this.joinTimer);
    this.joinTimer = undefined;
    this.opts.metrics.twitchConnected = false;
    client?.quit();
  }

  private start(): void {
    const { irc } = this.opts;
    const client = new ChatClient({
      hostName: irc.host,
      ssl: irc.ssl,
      webSocket: false,
      botLevel: this.opts.botLevel,
      readOnly: !this.credential,
      ...(this.credential
        ? { authProvider: new StaticAuthProvider(this.opts.clientId ?? "", this.credential.accessToken, ["chat:read"]) }
        : {}),
      // The library's errors (lines it cannot parse among them) go to our log and are counted.
      logger: {
        minLevel: "error",
        custom: (_level: number, message: string) => {
          if (message.startsWith("Error parsing message")) this.opts.metrics.malformed++;
          this.opts.log("twitch: IRC library error (line skipped)", { message: message.slice(0, 200) });
        },
      },
    });
    setPort(client, irc.port);
    this.client = client;
    // Registered (001 received), not merely connected: a JOIN before that is refused (451).
    client.irc.onRegister(() => {
      this.registered = true;
      this.opts.metrics.twitchConnected = true;
      for (const login of this.channels.keys()) this.join(login);
    });
    client.onDisconnect((manually, reason) => {
      this.registered = false;
      this.opts.metrics.twitchConnected = false;
      this.joined.clear();
      this.opts.metrics.channelsJoined = 0;
      this.opts.metrics.channelsJoined = 0;
      clearTimeout(this.joinTimer);
      this.joinTimer = undefined;
      if (!manually) this.opts.log("twitch: disconnected, reconnecting", { reason: String(reason) });
    });
    // Our own JOIN echo is the proof of membership (servers without Twitch's ROOMSTATE never ack otherwise).
    client.onJoin((channel, nick) => {
      if (nick !== client.irc.currentNick || !this.channels.has(channel)) return;
      this.joined.add(channel);
      this.opts.metrics.channelsJoined = this.joined.size;
      for (const done of this.joinWaiters.get(channel)?.splice(0) ?? []) done();
    });
    client.onPart((channel, nick) => {
      if (nick === client.irc.currentNick) this.joined.delete(channel);
      this.opts.metrics.channelsJoined = this.joined.size;
    });
    client.onMessage((channel, user, text, msg) => {
      const assigned = this.channels.get(channel);
      if (!assigned) return;
      try {
        this.opts.emit(chatEvent(assigned, user, text, msg));
      } catch (error) {
        this.opts.metrics.malformed++;
        this.opts.log("twitch: malformed line skipped", { channel, error: String(error) });
      }
    });
    client.connect();
  }

  /**
   * JOINs go out through our own limiter, not ChatClient.join(): that one waits up to 10 s for
   * Twitch's ROOMSTATE per channel, one at a time, which would take hours for a thousand
   * channels. Twitch allows 20 JOINs per 10 s (2,000 for verified bots,
   * https://dev.twitch.tv/docs/chat/#rate-limits); the JOIN echo above confirms each one.
   */
  private join(login: string): void {
    this.joinQueue.add(login);
    // On the next turn: the joins of one assignment or reconnect share JOIN lines.
    if (!this.joinScheduled) {
      this.joinScheduled = true;
      setImmediate(() => {
        this.joinScheduled = false;
        this.pumpJoins();
      });
    }
  }

  private pumpJoins(): void {
    const client = this.client;
    if (!client || !this.registered || this.joinTimer) return;
    const now = Date.now();
    this.joinTimes = this.joinTimes.filter((t) => now - t < JOIN_WINDOW_MS);
    const budget = JOIN_LIMIT[this.opts.botLevel] - this.joinTimes.length;
    // Several channels per JOIN line (IRC allows it; Twitch counts each): a server that paces
    // commands per line (ngircd does, ~3/s) would otherwise take minutes for a thousand.
    let line: string[] = [];
    const flush = () => {
      // sendRaw: ircv3's join() accepts one channel per call.
      if (line.length) client.irc.sendRaw(`JOIN ${line.join(",")}`);
      line = [];
    };
    for (const login of [...this.joinQueue].slice(0, Math.max(0, budget))) {
      this.joinQueue.delete(login);
      if (!this.channels.has(login) || this.joined.has(login)) continue;
      this.joinTimes.push(now);
      if (line.join(",").length + login.length > 400) flush();
      line.push(`#${login}`);
    }
    flush();
    if (this.joinQueue.size) {
      const wait = JOIN_WINDOW_MS - (now - (this.joinTimes[0] ?? now));
      this.joinTimer = setTimeout(
        () => {
          this.joinTimer = undefined;
          this.pumpJoins();
        },
        Math.max(50, wait),
      );
    }
  }

  private waitJoined(login: string, timeoutMs = 30_000): Promise<void> {
    if (this.joined.has(login)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      const list = this.joinWaiters.get(login) ?? [];
      list.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.joinWaiters.set(login, list);
    });
  }
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
