import type { PlatformConfig } from "../lib/config.ts";
import { sha256Hex } from "../lib/crypto/encoding.ts";
import { log } from "../lib/log.ts";
import { type BotRefresh, refreshRefusedBotToken, twitchBotCredential } from "../lib/platforms/twitch-bot.ts";
import { spread } from "../lib/relay/assign.ts";
import { discordConnections, discordShardCount, twitchChannels } from "../lib/relay/inputs.ts";
import { type Assignment, CopyMessageSchema, type TwitchChannel } from "../lib/relay/protocol.ts";
import { PingableObject } from "./base.ts";
import { safeClose } from "./overlay-sockets.ts";

export interface CoordinatorEnv extends PlatformConfig {
  DB: D1Database;
}

/** A copy silent this long (no heartbeat, socket still open) has lost its lease: its work moves. */
export const LEASE_MS = 15_000;
/** Lease sweep and connection refresh period: a dead copy's work moves within LEASE_MS + this. */
export const SWEEP_MS = 5_000;
const SHARDS_TTL_MS = 10 * 60_000;

interface Held {
  shardIds: number[];
  channels: string[];
}

interface Sent extends Held {
  digest: string;
}

/**
 * The one coordinator of the gateway relay copies (named "global"): each copy holds a
 * hibernating WebSocket here (`/relay/connect`); the coordinator spreads Discord shards and
 * Twitch channels over the live copies (lib/relay/assign.ts) and pushes each copy its part.
 * Leases: a heartbeat renews one; a closed socket or a lease older than LEASE_MS frees the
 * copy's work at once. Moves are make-before-break: a copy keeps what it is losing until the
 * new owner reports (`applied`) that it holds it, so a rebalance drops nothing (duplicates in
 * the overlap share platform ids and are removed by the worker's dedupe).
 */
export class RelayCoordinator extends PingableObject<CoordinatorEnv> {
  /** The WebSocket upgrade; the worker has verified the copy's signature (relay.ts). */
  override async fetch(request: Request): Promise<Response> {
    const copyId = new URL(request.url).searchParams.get("copy");
    if (!copyId || request.headers.get("upgrade") !== "websocket")
      return new Response("expected a WebSocket", { status: 426 });
    for (const old of this.ctx.getWebSockets(copyId)) safeClose(old, 1000, "replaced by a newer connection");
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.ctx.acceptWebSocket(server, [copyId]);
    server.serializeAttachment({ copyId });
    await this.ctx.storage.put(`lease:${copyId}`, Date.now());
    await this.ctx.storage.delete(`applied:${copyId}`);
    await this.ctx.storage.delete(`sent:${copyId}`);
    // A copy connecting is rare and may be the first in a while: read the connections afresh.
    await this.rebalance(true);
    if (!(await this.ctx.storage.getAlarm())) await this.ctx.storage.setAlarm(Date.now() + SWEEP_MS);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const { copyId } = ws.deserializeAttachment() as { copyId: string };
    try {
      const parsed = CopyMessageSchema.safeParse(
        JSON.parse(typeof raw === "string" ? raw : new TextDecoder().decode(raw)),
      );
      if (!parsed.success) throw new Error("not a relay message");
      await this.ctx.storage.put(`lease:${copyId}`, Date.now());
      if (parsed.data.type === "applied") {
        const { shardIds, channels } = parsed.data;
        await this.ctx.storage.put(`applied:${copyId}`, { shardIds, channels } satisfies Held);
        await this.rebalance();
      } else if (parsed.data.type === "credential_rejected") {
        // Every copy (and every retry) may report the same token: it is refreshed once.
        const last = await this.ctx.storage.get<BotRefresh>("botRefresh");
        const { outcome, refresh } = await refreshRefusedBotToken(this.env, parsed.data.token, last);
        if (refresh) await this.ctx.storage.put("botRefresh", refresh);
        log.warn("relay coordinator: Twitch IRC refused the bot's login", { copyId, outcome });
        await this.rebalance();
      }
    } catch (error) {
      log.warn("relay coordinator: malformed frame skipped", { copyId, error });
    }
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    safeClose(ws, code === 1005 || code === 1006 ? 1000 : code, "closed");
    await this.forget(ws);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.forget(ws);
  }

  /** Sweeps expired leases and picks up connections added or removed since the last look. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    for (const ws of this.ctx.getWebSockets()) {
      const { copyId } = ws.deserializeAttachment() as { copyId: string };
      const lease = (await this.ctx.storage.get<number>(`lease:${copyId}`)) ?? 0;
      if (now - lease > LEASE_MS) {
        log.warn("relay coordinator: lease expired, reassigning", { copyId });
        safeClose(ws, 4000, "lease expired");
        await this.forgetCopy(copyId);
      }
    }
    await this.rebalance(true);
    if (this.ctx.getWebSockets().length) await this.ctx.storage.setAlarm(Date.now() + SWEEP_MS);
  }

  /** Connections changed (a community connected or disconnected a platform): reassign now. */
  async refresh(): Promise<void> {
    await this.rebalance(true);
  }

  /** Which copy holds what, as last pushed (tests, operators). */
  async state(): Promise<Record<string, Held>> {
    const out: Record<string, Held> = {};
    for (const [key, value] of await this.ctx.storage.list<Sent>({ prefix: "sent:" })) {
      out[key.slice(5)] = { shardIds: value.shardIds, channels: value.channels };
    }
    return out;
  }

  private async forget(ws: WebSocket): Promise<void> {
    const { copyId } = (ws.deserializeAttachment() ?? {}) as { copyId?: string };
    // A copy that reconnected already has a newer socket: its work stays.
    if (!copyId || this.ctx.getWebSockets(copyId).some((s) => s !== ws)) return;
    await this.forgetCopy(copyId);
    await this.rebalance();
  }

  private async forgetCopy(copyId: string): Promise<void> {
    await this.ctx.storage.delete([`lease:${copyId}`, `applied:${copyId}`, `sent:${copyId}`]);
  }

  private async inputs(fresh: boolean): Promise<{ channels: TwitchChannel[]; shardCount: number; guilds: number }> {
    type Cached = { channels: TwitchChannel[]; shardCount: number; shardsAt: number; guilds: number };
    let cached = await this.ctx.storage.get<Cached>("inputs");
    if (!cached || fresh) {
      // Both D1 reads at once: every sweep is a fresh look.
      const [guilds, channels] = await Promise.all([
        this.env.DISCORD_BOT_TOKEN ? discordConnections(this.env.DB) : 0,
        twitchChannels(this.env.DB),
      ]);
      // Discord recommends shards by guild count: a community connecting or leaving asks again.
      const stale = !cached || cached.guilds !== guilds || Date.now() - cached.shardsAt > SHARDS_TTL_MS;
      const shardCount = stale || !cached ? await discordShardCount(this.env) : cached.shardCount;
      cached = {
        channels,
        shardCount,
        shardsAt: stale ? Date.now() : cached!.shardsAt,
        guilds,
      };
      await this.ctx.storage.put("inputs", cached);
    }
    return cached;
  }

  private async rebalance(fresh = false): Promise<void> {
    const sockets = new Map<string, WebSocket>();
    for (const ws of this.ctx.getWebSockets()) {
      // A socket whose close is being handled is still listed: it gets nothing.
      if (ws.readyState === WebSocket.OPEN) sockets.set((ws.deserializeAttachment() as { copyId: string }).copyId, ws);
    }
    if (!sockets.size) return;
    const copies = [...sockets.keys()].sort();
    const { channels, shardCount, guilds } = await this.inputs(fresh);
    // No community on Discord: no copy holds the gateway; the first one to connect starts it.
    const shardItems = guilds > 0 ? Array.from({ length: shardCount }, (_, i) => String(i)) : [];
    const byLogin = new Map(channels.map((c) => [c.login, c]));
    const targetChannels = spread(copies, [...byLogin.keys()]);
    const targetShards = spread(copies, shardItems);
    // The bot's credential (D1, perhaps a refresh) is read before the copies' state: after it only
    // storage and hashing are awaited, and neither lets another event of this object run (input
    // gates), so what a copy was last sent is read once and is still what is stored at the send.
    const credential = await twitchBotCredential(this.env);
    const applied = new Map<string, Held>();
    /** What each copy was last sent (its digest decides whether the new assignment goes out). */
    const lastSent = new Map<string, Sent | undefined>();
    /** What a copy may hold now: what it reported, and what it was last sent but has not confirmed. */
    const mayHold = new Map<string, Held>();
    for (const copy of copies) {
      const reported = (await this.ctx.storage.get<Held>(`applied:${copy}`)) ?? { shardIds: [], channels: [] };
      const sent = await this.ctx.storage.get<Sent>(`sent:${copy}`);
      applied.set(copy, reported);
      lastSent.set(copy, sent);
      mayHold.set(copy, {
        shardIds: [...new Set([...reported.shardIds, ...(sent?.shardIds ?? [])])],
        channels: [...new Set([...reported.channels, ...(sent?.channels ?? [])])],
      });
    }
    const ownerHolds = (target: Map<string, string[]>, item: string, has: (h: Held) => boolean) => {
      for (const [copy, items] of target) if (items.includes(item)) return has(applied.get(copy)!);
      return true;
    };
    let version = (await this.ctx.storage.get<number>("version")) ?? 0;
    for (const copy of copies) {
      // A copy still joining its last assignment reports nothing yet, but may already hold any of
      // it: told to drop those now, it would drop them before their new owner holds them, and be
      // told to take them back once its late report comes in (a flap a busy machine showed).
      const held = mayHold.get(copy)!;
      // Make before break: keep what this copy is losing until its new owner holds it.
      const keepChannels = held.channels.filter(
        (l) =>
          byLogin.has(l) &&
          !targetChannels.get(copy)!.includes(l) &&
          !ownerHolds(targetChannels, l, (h) => h.channels.includes(l)),
      );
      const keepShards = held.shardIds.filter(
        (s) =>
          s < shardCount &&
          !targetShards.get(copy)!.includes(String(s)) &&
          !ownerHolds(targetShards, String(s), (h) => h.shardIds.includes(s)),
      );
      const logins = [...new Set([...targetChannels.get(copy)!, ...keepChannels])].sort();
      const shardIds = [...new Set([...targetShards.get(copy)!.map(Number), ...keepShards])].sort((a, b) => a - b);
      const body: Omit<Assignment, "version"> = {
        type: "assignment",
        discord: { shardCount, shardIds },
        twitch: {
          channels: logins.map((l) => byLogin.get(l)!),
          credential: credential && { login: credential.login, accessToken: credential.accessToken },
        },
      };
      // What was sent is remembered by digest: the bot's token never rests in storage.
      const digest = await sha256Hex(JSON.stringify(body));
      if (lastSent.get(copy)?.digest === digest) continue;
      version++;
      try {
        sockets.get(copy)!.send(JSON.stringify({ ...body, version }));
        await this.ctx.storage.put(`sent:${copy}`, { digest, shardIds, channels: logins } satisfies Sent);
      } catch (error) {
        log.warn("relay coordinator: send failed", { copy, error });
      }
    }
    await this.ctx.storage.put("version", version);
  }
}
