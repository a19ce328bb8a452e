/**
 * A local Discord gateway for tests, speaking the real protocol
 * (https://discord.com/developers/docs/events/gateway): HELLO with a heartbeat interval,
 * IDENTIFY → READY (+ GUILD_CREATE per guild of the shard), heartbeats answered with ACKs,
 * RESUME (missed dispatches replayed, then RESUMED) or INVALID_SESSION, dispatches numbered
 * per session. Guilds belong to shard (guild_id >> 22) % shard_count, as on Discord.
 */
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

interface Session {
  id: string;
  shard: [number, number];
  seq: number;
  log: { s: number; t: string; d: unknown }[];
  ws: WebSocket | undefined;
}

export interface FakeGuild {
  id: string;
  members?: { user: { id: string; username: string }; roles: string[]; premium_since?: string | null }[];
  voice_states?: { user_id: string; channel_id: string }[];
}

export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

export async function startFakeGateway(opts: { token: string; heartbeatMs?: number }) {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  const sessions = new Map<string, Session>();
  const guilds = new Map<string, FakeGuild>();
  const stats = { identifies: [] as { shard: [number, number]; intents: number }[], resumes: 0, heartbeats: 0 };
  let invalidateNextResume = false;
  const waiters: (() => void)[] = [];
  const changed = () => {
    for (const w of waiters.splice(0)) w();
  };

  const send = (s: Session, t: string, d: unknown) => {
    s.seq++;
    s.log.push({ s: s.seq, t, d });
    if (s.log.length > 1000) s.log.shift();
    s.ws?.send(JSON.stringify({ op: 0, t, s: s.seq, d }));
  };
  const guildCreate = (s: Session, g: FakeGuild) =>
    send(s, "GUILD_CREATE", {
      id: g.id,
      name: `guild ${g.id}`,
      members: g.members ?? [],
      voice_states: g.voice_states ?? [],
    });

  wss.on("connection", (ws) => {
    let session: Session | undefined;
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: opts.heartbeatMs ?? 2_000 } }));
    ws.on("message", (raw) => {
      let frame: { op: number; d: Record<string, unknown> | null };
      try {
        frame = JSON.parse(String(raw));
      } catch {
        return ws.close(4002, "Decode error");
      }
      if (frame.op === 1) {
        stats.heartbeats++;
        return ws.send(JSON.stringify({ op: 11 }));
      }
      const d = frame.d ?? {};
      if (frame.op === 2) {
        if (d.token !== opts.token) return ws.close(4004, "Authentication failed");
        const shard = (d.shard as [number, number]) ?? [0, 1];
        stats.identifies.push({ shard, intents: Number(d.intents) });
        session = { id: crypto.randomUUID(), shard, seq: 0, log: [], ws };
        sessions.set(session.id, session);
        const mine = [...guilds.values()].filter((g) => shardOf(g.id, shard[1]) === shard[0]);
        send(session, "READY", {
          v: 10,
          user: { id: "1000", username: "waddlebot", discriminator: "0", bot: true },
          guilds: mine.map((g) => ({ id: g.id, unavailable: true })),
          session_id: session.id,
          resume_gateway_url: url,
          shard,
          application: { id: "1000", flags: 0 },
        });
        for (const g of mine) guildCreate(session, g);
        return changed();
      }
      if (frame.op === 6) {
        stats.resumes++;
        const known = sessions.get(String(d.session_id));
        if (!known || invalidateNextResume) {
          invalidateNextResume = false;
          return ws.send(JSON.stringify({ op: 9, d: false }));
        }
        session = known;
        session.ws = ws;
        for (const missed of session.log.filter((e) => e.s > Number(d.seq))) {
          ws.send(JSON.stringify({ op: 0, t: missed.t, s: missed.s, d: missed.d }));
        }
        send(session, "RESUMED", {});
        return changed();
      }
    });
    ws.on("close", () => {
      if (session?.ws === ws) session.ws = undefined;
      changed();
    });
  });

  /** Live sessions whose shard holds the guild (both copies during a move). */
  const sessionsFor = (guildId: string, live = true) =>
    [...sessions.values()].filter((s) => (s.ws || !live) && shardOf(guildId, s.shard[1]) === s.shard[0]);

  return {
    url,
    stats,
    /** Adds a guild; shards already connected get its GUILD_CREATE (as when the bot joins one). */
    addGuild(g: FakeGuild) {
      guilds.set(g.id, g);
      for (const s of sessionsFor(g.id)) guildCreate(s, g);
    },
    /** A dispatch for a guild, sent to every session holding its shard. Returns how many got it. */
    dispatch(guildId: string, t: string, d: Record<string, unknown>): number {
      const targets = sessionsFor(guildId);
      for (const s of targets) send(s, t, { guild_id: guildId, ...d });
      return targets.length;
    },
    /** A dispatch recorded in the guild's sessions even while disconnected (replayed on RESUME). */
    dispatchToSession(guildId: string, t: string, d: Record<string, unknown>) {
      for (const s of sessionsFor(guildId, false)) send(s, t, { guild_id: guildId, ...d });
    },
    /** Something that is not a gateway frame, to every connection. */
    sendRaw(text: string) {
      for (const s of sessions.values()) s.ws?.send(text);
    },
    /** Drops every connection (code 4000: resumable), as a network blip would. */
    dropAll(code = 4000) {
      for (const s of sessions.values()) s.ws?.close(code, "fake gateway drop");
    },
    invalidateNextResume() {
      invalidateNextResume = true;
    },
    connected: () => [...sessions.values()].filter((s) => s.ws).length,
    /** Resolves when `check` holds (re-checked on every identify, resume and close). */
    async until(check: () => boolean, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline) throw new Error("fake gateway: condition not met in time");
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close(() => resolve());
      }),
  };
}

export type FakeGateway = Awaited<ReturnType<typeof startFakeGateway>>;
