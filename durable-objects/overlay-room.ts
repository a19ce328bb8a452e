import * as z from "zod";
import { OVERLAY_TYPES, type OverlayType } from "../lib/db/schema/overlays.ts";
import { log } from "../lib/log.ts";
import { PingableObject } from "./base.ts";
import { ChildRooms, type JoinSnapshot, MAX_CHILD_ROOMS, type RoomEnv } from "./overlay-fanout.ts";
import {
  type ClientInfo,
  type OverlayFrame,
  type PublishResult,
  REPLAY_MAX_AGE_MS,
  REPLAY_MAX_MESSAGES,
  ReplayLog,
  type SocketState,
} from "./overlay-replay-log.ts";
import { RoomSockets, safeClose } from "./overlay-sockets.ts";

export type { ClientInfo, OverlayFrame, PublishResult, SocketState } from "./overlay-replay-log.ts";
export { CLOSE_RECONNECT, CLOSE_STALE, CLOSE_TOKEN_ROTATED } from "./overlay-sockets.ts";

/** What the router passes when it hands a socket over (it has already checked the token). */
const ConnectParams = z.object({
  type: z.enum(OVERLAY_TYPES),
  /** The last sequence number the page saw; absent on a first load. */
  since: z.coerce.number().int().min(0).optional(),
  /** The token generation the page connected with (see retireGeneration). */
  gen: z.coerce.number().int().min(1).default(1),
  /** Set when this object is a child room (overlay-fanout.ts): the community room's id, and our index. */
  parent: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
  child: z.coerce.number().int().min(0).max(MAX_CHILD_ROOMS).optional(),
});

/** Frames that reach a child while a page's join is in flight: sent after its replay. */
type Joining = { type: OverlayType; frames: OverlayFrame[] };

/**
 * One overlay room per community (`idFromName(communityId)`): every OBS browser source of the
 * community holds a WebSocket here, or in one of its child rooms when `OVERLAY_CHILD_ROOMS` is
 * set (overlay-fanout.ts; the same class, holding only sockets). Uses the hibernation API, so an
 * idle room costs nothing: sockets are tagged with their overlay type, per-socket state lives in
 * attachments, and the page's heartbeat ("ping" → "pong") is answered by the runtime.
 *
 * Delivery without loss: every published message gets a room-wide sequence number and goes
 * into a bounded replay log (SQLite, in the community's room only); a page reconnecting with
 * `?since=<seq>` gets what it missed before anything new, whichever child it lands on.
 */
export class OverlayRoom extends PingableObject<RoomEnv> {
  private readonly log: ReplayLog;
  private readonly sockets: RoomSockets;
  private readonly children: ChildRooms;
  private readonly joining = new Set<Joining>();

  constructor(ctx: DurableObjectState, env: RoomEnv) {
    super(ctx, env);
    this.log = new ReplayLog(ctx.storage.sql);
    this.sockets = new RoomSockets(ctx);
    this.children = new ChildRooms(ctx.storage.sql, env, ctx.id);
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
      const { type, since, gen, parent, child } = parsed.data;
      if ((parent === undefined) !== (child === undefined))
        return new Response("Bad connect parameters", { status: 400 });
      let snap: JoinSnapshot;
      let later: OverlayFrame[] = [];
      if (parent === undefined) {
        snap = this.snapshot(type, since);
      } else {
        // The parent numbers and replays; frames it forwards meanwhile are held for this page.
        const joining: Joining = { type, frames: [] };
        this.joining.add(joining);
        try {
          const room = this.env.OVERLAY_ROOM.get(this.env.OVERLAY_ROOM.idFromString(parent));
          snap = await room.join(child!, type, since);
        } finally {
          this.joining.delete(joining);
        }
        later = joining.frames.filter((f) => f.seq > snap.hello.seq);
      }
      const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
      const lastSeq = later.at(-1)?.seq ?? snap.lastSeq;
      const state: SocketState = { id: crypto.randomUUID().slice(0, 8), type, gen, connectedAt: Date.now(), lastSeq };
      // Hello first (the page learns the room's head), then what it missed, in order. Nothing
      // can interleave: no await between here and the end of the handler.
      const covered = parent === undefined ? undefined : Math.max(snap.hello.seq, lastSeq);
      this.sockets.accept(server, state, snap.hello, [...snap.frames, ...later], covered);
      return new Response(null, { status: 101, webSocket: client });
    } catch (err) {
      log.error("overlay room: connect failed", { error: err });
      return new Response("Internal error", { status: 500 });
    }
  }

  /** Stores a message (already validated by the router) and sends it to every page of its type. */
  async publish(type: OverlayType, data: Record<string, unknown>, now = Date.now()): Promise<PublishResult> {
    const frame = this.log.append(type, data, now);
    let delivered = this.sockets.send(frame, JSON.stringify(frame), now);
    if (this.children.size > 0) {
      for (const n of await this.children.each((c) => c.deliver(frame))) delivered += n;
    }
    await this.scheduleAlarm();
    return { seq: frame.seq, delivered };
  }

  /** Parent side of a page joining child room `child`: what the page must be sent first. */
  async join(child: number, type: OverlayType, since: number | undefined): Promise<JoinSnapshot> {
    this.children.register(z.number().int().min(0).max(MAX_CHILD_ROOMS).parse(child));
    return this.snapshot(z.enum(OVERLAY_TYPES).parse(type), since);
  }

  /** Child side of a publish: one numbered frame for the pages here (and those joining). */
  async deliver(frame: OverlayFrame): Promise<number> {
    for (const j of this.joining) if (j.type === frame.type) j.frames.push(frame);
    return this.sockets.send(frame);
  }

  /**
   * Who is connected: one row per socket, for the portal. A socket's attachment holds the last
   * seq it got when it connected; since then it got every message of its type, so its last seq
   * is the later of the two. (Rewriting 1,000 attachments on every publish would cost more.)
   */
  async listClients(): Promise<ClientInfo[]> {
    const latest = this.log.latestSeqByType();
    const remote = await this.children.each((c) => c.localClients());
    return [...this.sockets.clients(), ...remote.flat()].map((s) => ({
      ...s,
      lastSeq: Math.max(s.lastSeq, latest[s.type] ?? 0),
    }));
  }

  async localClients(): Promise<ClientInfo[]> {
    return this.sockets.clients();
  }

  /** Connected sockets per type, here and in the child rooms. */
  async counts(): Promise<Record<OverlayType, number>> {
    const all = this.sockets.counts(OVERLAY_TYPES);
    for (const counts of await this.children.each((c) => c.localCounts())) {
      for (const t of OVERLAY_TYPES) all[t] += counts[t];
    }
    return all;
  }

  async localCounts(): Promise<Record<OverlayType, number>> {
    return this.sockets.counts(OVERLAY_TYPES);
  }

  /**
   * A token was rotated: at `at` (the end of its grace period), pages of `type` still connected
   * with a generation below `belowGeneration` are closed, in every child room too. Scheduled by
   * alarm, so it survives eviction and deploys.
   */
  async retireGeneration(type: OverlayType, belowGeneration: number, at: number): Promise<void> {
    this.log.retire(type, belowGeneration, at);
    if (at <= Date.now()) await this.closeRetired(Date.now());
    await this.scheduleAlarm();
  }

  async closeGeneration(type: OverlayType, belowGeneration: number): Promise<void> {
    this.sockets.closeGeneration(type, belowGeneration);
  }

  /**
   * Closes pages (all, or of one type) with 1012 "service restart": they reconnect at once
   * and resume. For an admin forcing OBS to pick up a change, and for tests of reconnection.
   */
  async disconnect(type?: OverlayType): Promise<number> {
    let closed = this.sockets.disconnect(type);
    for (const n of await this.children.each((c) => c.localDisconnect(type))) closed += n;
    return closed;
  }

  async localDisconnect(type?: OverlayType): Promise<number> {
    return this.sockets.disconnect(type);
  }

  /** The last messages of the replay log (newest last); for the portal and for tests. */
  async recent(type?: OverlayType): Promise<OverlayFrame[]> {
    return this.log.recent(type);
  }

  override async alarm(): Promise<void> {
    try {
      const now = Date.now();
      this.log.prune(now);
      await this.closeRetired(now);
      this.sockets.sweepStale(now);
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

  /** The hello, the replay and the seq a page of `type` resuming from `since` is at after them. */
  private snapshot(type: OverlayType, since: number | undefined): JoinSnapshot {
    const head = this.log.head();
    const frames = this.log.replay(type, since);
    const hello = { op: "hello" as const, type, seq: head.seq, oldestSeq: head.oldestSeq, reset: head.reset(since) };
    return { hello, frames, lastSeq: frames.at(-1)?.seq ?? Math.max(head.seq, 0) };
  }

  private async closeRetired(now: number): Promise<void> {
    for (const { type, belowGeneration } of this.log.dueRetirements(now)) {
      this.sockets.closeGeneration(type, belowGeneration);
      await this.children.each((c) => c.closeGeneration(type, belowGeneration));
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

export { REPLAY_MAX_AGE_MS, REPLAY_MAX_MESSAGES };
