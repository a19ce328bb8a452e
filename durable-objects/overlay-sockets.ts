import type { OverlayType } from "../lib/db/schema/overlays.ts";
import { log } from "../lib/log.ts";
import { type ClientInfo, type OverlayFrame, type SocketState, STALE_SOCKET_MS } from "./overlay-replay-log.ts";

/** Close codes the page understands (4000-4999 are for applications). */
export const CLOSE_STALE = 4000;
export const CLOSE_TOKEN_ROTATED = 4001;
export const CLOSE_RECONNECT = 1012;

/**
 * The sockets one room object holds, whether it is a community's room or one of its child
 * rooms (overlay-fanout.ts): sending a frame, closing retired generations and silent pages,
 * listing. Everything here is local to the object; the room forwards to its children.
 */
export class RoomSockets {
  private lastSweep = 0;
  /**
   * Sockets that joined while a frame was in flight to this object, with the seq their replay
   * already covered: the frame must not reach them twice. Cleared by the next frame past it.
   */
  private readonly coveredUpTo = new Map<WebSocket, number>();

  constructor(private readonly ctx: DurableObjectState) {}

  /** Sends one frame to every page of its type here; returns how many got it. */
  send(frame: OverlayFrame, text = JSON.stringify(frame), now = Date.now()): number {
    let delivered = 0;
    for (const ws of this.ctx.getWebSockets(frame.type)) {
      if (this.coveredUpTo.size > 0) {
        const covered = this.coveredUpTo.get(ws);
        if (covered !== undefined && frame.seq <= covered) continue;
        this.coveredUpTo.delete(ws);
      }
      try {
        ws.send(text);
        delivered++;
      } catch (err) {
        log.warn("overlay room: send failed, closing socket", { error: err });
        safeClose(ws, 1011, "send failed");
      }
    }
    if (now - this.lastSweep > 30_000) this.sweepStale(now);
    return delivered;
  }

  /** Accepts a page and sends it the hello and its replay (nothing can interleave: no await). */
  accept(server: WebSocket, state: SocketState, hello: unknown, frames: OverlayFrame[], covered?: number): void {
    this.ctx.acceptWebSocket(server, [state.type]);
    server.serializeAttachment(state);
    server.send(JSON.stringify(hello));
    for (const frame of frames) server.send(JSON.stringify(frame));
    if (covered !== undefined) this.coveredUpTo.set(server, covered);
  }

  counts(types: readonly OverlayType[]): Record<OverlayType, number> {
    return Object.fromEntries(types.map((t) => [t, this.ctx.getWebSockets(t).length])) as Record<OverlayType, number>;
  }

  /** One row per socket, with the seq it got on connect (the room raises it to the latest). */
  clients(): ClientInfo[] {
    return this.ctx.getWebSockets().map((ws) => {
      const ping = this.ctx.getWebSocketAutoResponseTimestamp(ws);
      return { ...(ws.deserializeAttachment() as SocketState), lastPingAt: ping ? ping.getTime() : null };
    });
  }

  /** Closes pages (all, or of one type) with 1012: they reconnect at once and resume. */
  disconnect(type?: OverlayType): number {
    const sockets = type ? this.ctx.getWebSockets(type) : this.ctx.getWebSockets();
    for (const ws of sockets) safeClose(ws, CLOSE_RECONNECT, "reconnect");
    return sockets.length;
  }

  /** Closes pages of `type` that connected with a token generation below `belowGeneration`. */
  closeGeneration(type: OverlayType, belowGeneration: number): void {
    for (const ws of this.ctx.getWebSockets(type)) {
      const state = ws.deserializeAttachment() as SocketState;
      if (state.gen < belowGeneration) safeClose(ws, CLOSE_TOKEN_ROTATED, "token rotated");
    }
  }

  /** Closes sockets whose heartbeat stopped: a page that vanished without a close frame. */
  sweepStale(now: number): void {
    this.lastSweep = now;
    for (const ws of this.ctx.getWebSockets()) {
      const state = ws.deserializeAttachment() as SocketState | null;
      const last = this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? state?.connectedAt ?? now;
      if (now - last > STALE_SOCKET_MS) safeClose(ws, CLOSE_STALE, "heartbeat timeout");
    }
  }
}

export function safeClose(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason.slice(0, 120));
  } catch {
    // Already closed or closing: nothing left to do.
  }
}
