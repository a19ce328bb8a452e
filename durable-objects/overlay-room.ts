import * as z from "zod";
import { OVERLAY_TYPES, type OverlayType } from "../lib/db/schema/overlays.ts";
import { log } from "../lib/log.ts";
import { PingableObject } from "./base.ts";
import {
  type ClientInfo,
  type OverlayFrame,
  type PublishResult,
  REPLAY_MAX_AGE_MS,
  REPLAY_MAX_MESSAGES,
  ReplayLog,
  type SocketState,
  STALE_SOCKET_MS,
} from "./overlay-replay-log.ts";

export type { ClientInfo, OverlayFrame, PublishResult, SocketState } from "./overlay-replay-log.ts";

/** What the router passes when it hands a socket over (it has already checked the token). */
const ConnectParams = z.object({
  type: z.enum(OVERLAY_TYPES),
  /** The last sequence number the page saw; absent on a first load. */
  since: z.coerce.number().int().min(0).optional(),
  /** The token generation the page connected with (see retireGeneration). */
  gen: z.coerce.number().int().min(1).default(1),
});

/** Close codes the page understands (4000-4999 are for applications). */
export const CLOSE_STALE = 4000;
export const CLOSE_TOKEN_ROTATED = 4001;
export const CLOSE_RECONNECT = 1012;

/**
 * One overlay room per community (`idFromName(communityId)`): every OBS browser source of the
 * community holds a WebSocket here. Uses the hibernation API, so an idle room costs nothing:
 * sockets are tagged with their overlay type, per-socket state lives in attachments, and the
 * page's heartbeat ("ping" → "pong") is answered by the runtime without waking the object.
 *
 * Delivery without loss: every published message gets a room-wide sequence number and goes
 * into a bounded replay log (SQLite); a page reconnecting with `?since=<seq>` gets what it
 * missed before anything new.
 */
export class OverlayRoom extends PingableObject {
  private readonly log: ReplayLog;
  private lastSweep = 0;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    this.log = new ReplayLog(ctx.storage.sql);
    // Answered by the runtime while the object hibernates; the timestamp proves liveness.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  /** Only for the WebSocket upgrade; everything else is RPC. */
  override async fetch(request: Request): Promise<Response> {
    try {
      if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
        return new Response("Expected a WebSocket upgrade", { status: 426 });
      }
      const parsed = ConnectParams.safeParse(Object.fromEntries(new URL(request.url).searchParams));
      if (!parsed.success) return new Response("Bad connect parameters", { status: 400 });
      const { type, since, gen } = parsed.data;
      const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
      this.ctx.acceptWebSocket(server, [type]);
      const head = this.log.head();
      const frames = this.log.replay(type, since);
      const state: SocketState = {
        id: crypto.randomUUID().slice(0, 8),
        type,
        gen,
        connectedAt: Date.now(),
        lastSeq: frames.at(-1)?.seq ?? Math.max(head.seq, 0),
      };
      server.serializeAttachment(state);
      // Hello first (the page learns the room's head), then what it missed, in order. Nothing
      // can interleave: the object runs this handler to completion before the next publish.
      server.send(
        JSON.stringify({ op: "hello", type, seq: head.seq, oldestSeq: head.oldestSeq, reset: head.reset(since) }),
      );
      for (const frame of frames) server.send(JSON.stringify(frame));
      return new Response(null, { status: 101, webSocket: client });
    } catch (err) {
      log.error("overlay room: connect failed", { error: err });
      return new Response("Internal error", { status: 500 });
    }
  }

  /** Stores a message (already validated by the router) and sends it to every page of its type. */
  async publish(type: OverlayType, data: Record<string, unknown>, now = Date.now()): Promise<PublishResult> {
    const frame = this.log.append(type, data, now);
    const text = JSON.stringify(frame);
    let delivered = 0;
    for (const ws of this.ctx.getWebSockets(type)) {
      try {
        ws.send(text);
        delivered++;
      } catch (err) {
        log.warn("overlay room: send failed, closing socket", { error: err });
        safeClose(ws, 1011, "send failed");
      }
    }
    if (now - this.lastSweep > 30_000) this.sweepStale(now);
    await this.scheduleAlarm();
    return { seq: frame.seq, delivered };
  }

  /**
   * Who is connected: one row per socket, for the portal. A socket's attachment holds the last
   * seq it got when it connected; since then it got every message of its type, so its last seq
   * is the later of the two. (Rewriting 1,000 attachments on every publish would cost more.)
   */
  async listClients(): Promise<ClientInfo[]> {
    const latest = this.log.latestSeqByType();
    return this.ctx.getWebSockets().map((ws) => {
      const state = ws.deserializeAttachment() as SocketState;
      const ping = this.ctx.getWebSocketAutoResponseTimestamp(ws);
      return {
        ...state,
        lastSeq: Math.max(state.lastSeq, latest[state.type] ?? 0),
        lastPingAt: ping ? ping.getTime() : null,
      };
    });
  }

  /** Connected sockets per type. */
  async counts(): Promise<Record<OverlayType, number>> {
    return Object.fromEntries(OVERLAY_TYPES.map((t) => [t, this.ctx.getWebSockets(t).length])) as Record<
      OverlayType,
      number
    >;
  }

  /**
   * A token was rotated: at `at` (the end of its grace period), pages of `type` still connected
   * with a generation below `belowGeneration` are closed. Scheduled by alarm, so it survives
   * eviction and deploys.
   */
  async retireGeneration(type: OverlayType, belowGeneration: number, at: number): Promise<void> {
    this.log.retire(type, belowGeneration, at);
    if (at <= Date.now()) this.closeRetired(Date.now());
    await this.scheduleAlarm();
  }

  /**
   * Closes pages (all, or of one type) with 1012 "service restart": they reconnect at once
   * and resume. For an admin forcing OBS to pick up a change, and for tests of reconnection.
   */
  async disconnect(type?: OverlayType): Promise<number> {
    const sockets = type ? this.ctx.getWebSockets(type) : this.ctx.getWebSockets();
    for (const ws of sockets) safeClose(ws, CLOSE_RECONNECT, "reconnect");
    return sockets.length;
  }

  /** The last messages of the replay log (newest last); for the portal and for tests. */
  async recent(type?: OverlayType): Promise<OverlayFrame[]> {
    return this.log.recent(type);
  }

  override async alarm(): Promise<void> {
    try {
      const now = Date.now();
      this.log.prune(now);
      this.closeRetired(now);
      this.sweepStale(now);
      await this.scheduleAlarm();
    } catch (err) {
      log.error("overlay room: alarm failed", { error: err });
      throw err;
    }
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    try {
      // "ping" never arrives here (auto-response). Pages send nothing else that needs an answer;
      // a JSON {"op":"ping"} is answered for clients that cannot send a bare string.
      if (typeof message === "string" && message.includes('"ping"')) ws.send(JSON.stringify({ op: "pong" }));
    } catch (err) {
      log.warn("overlay room: message handling failed", { error: err });
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    // 1005 (no status) and 1006 (abnormal) may not be sent back: answer with a normal close.
    safeClose(ws, code === 1005 || code === 1006 ? 1000 : code, reason);
  }

  override async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    log.warn("overlay room: socket error", { error });
    safeClose(ws, 1011, "socket error");
  }

  /** Closes sockets whose heartbeat stopped: a page that vanished without a close frame. */
  private sweepStale(now: number): void {
    this.lastSweep = now;
    for (const ws of this.ctx.getWebSockets()) {
      const state = ws.deserializeAttachment() as SocketState | null;
      const last = this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? state?.connectedAt ?? now;
      if (now - last > STALE_SOCKET_MS) safeClose(ws, CLOSE_STALE, "heartbeat timeout");
    }
  }

  private closeRetired(now: number): void {
    for (const { type, belowGeneration } of this.log.dueRetirements(now)) {
      for (const ws of this.ctx.getWebSockets(type)) {
        const state = ws.deserializeAttachment() as SocketState;
        if (state.gen < belowGeneration) safeClose(ws, CLOSE_TOKEN_ROTATED, "token rotated");
      }
    }
  }

  /** Next work: pruning the oldest message, ending a grace period, or checking live sockets. */
  private async scheduleAlarm(): Promise<void> {
    const candidates = [this.log.nextPruneAt(), this.log.nextRetirementAt()].filter((t): t is number => t !== null);
    if (candidates.length === 0) return;
    const next = Math.min(...candidates);
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > next) await this.ctx.storage.setAlarm(next);
  }
}

function safeClose(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason.slice(0, 120));
  } catch {
    // Already closed or closing: nothing left to do.
  }
}

export { REPLAY_MAX_AGE_MS, REPLAY_MAX_MESSAGES };
