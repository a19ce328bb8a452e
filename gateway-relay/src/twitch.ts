import type { ChatClient } from "@twurple/chat";
import type { Assignment, RelayEvent, TwitchChannel } from "../../lib/relay/protocol.ts";
import type { Metrics } from "./metrics.ts";
import { chatClient } from "./twitch-client.ts";
import { chatEvent } from "./twitch-events.ts";

interface TwitchOptions {
  irc: { host: string; port: number; ssl: boolean };
  botLevel: "none" | "known" | "verified";
  clientId?: string;
  metrics: Metrics;
  emit(event: RelayEvent): void;
  log(msg: string, fields?: Record<string, unknown>): void;
  /** Twitch refused the bot's login with this token: the coordinator refreshes it and sends the new one. */
  onCredentialRejected?(accessToken: string): void;
}

const JOIN_WINDOW_MS = 10_000;
const JOIN_LIMIT = { none: 20, known: 20, verified: 2_000 } as const;
/** After the token check failed (the library gives up on that connection): try again this much later. */
const LOGIN_RETRY_MS = 30_000;

type Credential = Assignment["twitch"]["credential"];

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
  private loginRetry: NodeJS.Timeout | undefined;
  /** The last token reported as refused: each token is reported once, not on every retry. */
  private reported: string | undefined;
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
    clearTimeout(this.loginRetry);
    this.loginRetry = undefined;
    this.releaseJoinWaiters();
    this.opts.metrics.twitchConnected = false;
    client?.quit();
  }

  private start(): void {
    const { irc, botLevel, clientId, metrics, log } = this.opts;
    const client = chatClient({ irc, botLevel, clientId, credential: this.credential, metrics, log });
    this.client = client;
    this.opts.metrics.twitchLogin = this.credential?.login ?? "anonymous";
    this.watchLogin(client);
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
   * The three ways a login as the bot is refused: the library's token check (Twitch's
   * /oauth2/validate) answers 401 and the library gives up on the connection; Twitch's NOTICE
   * "Login authentication failed" (the library retries with backoff); or the server closes with
   * ERROR before registering (a plain IRC server's bad PASS). Each is logged and counted; the
   * token is reported once so the coordinator refreshes it, and its new assignment reconnects us.
   */
  private watchLogin(client: ChatClient): void {
    let gaveUp = false;
    const refused = (detail: string) => {
      if (client !== this.client || !this.credential) return;
      // No JOIN will be echoed on this login: the assignment waiting for them may finish (and the
      // coordinator's next one, with a fresh token, be applied).
      this.releaseJoinWaiters();
      this.opts.metrics.twitchLoginRefused++;
      this.opts.log("twitch: the bot's IRC login was refused; asking for a fresh token", {
        login: this.credential.login,
        detail: detail.slice(0, 200),
      });
      if (this.reported === this.credential.accessToken) return;
      this.reported = this.credential.accessToken;
      this.opts.onCredentialRejected?.(this.credential.accessToken);
    };
    client.irc.onPasswordError((error) => {
      refused(String(error));
      gaveUp = true;
      clearTimeout(this.loginRetry);
      this.loginRetry = setTimeout(() => {
        if (client !== this.client) return;
        this.stop();
        if (this.channels.size) this.start();
      }, LOGIN_RETRY_MS);
    });
    client.onAuthenticationFailure((text) => refused(text));
    client.irc.onAnyMessage((msg) => {
      // (Not the server's answer to the library's own QUIT after it gave up.)
      if (!this.registered && !gaveUp && msg.command === "ERROR") refused(msg.rawParamValues.join(" "));
    });
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

  private releaseJoinWaiters(): void {
    for (const waiters of this.joinWaiters.values()) for (const done of waiters.splice(0)) done();
    this.joinWaiters.clear();
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
