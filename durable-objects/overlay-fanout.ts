import type { OverlayType } from "../lib/db/schema/overlays.ts";
import { log } from "../lib/log.ts";
import type { OverlayRoom } from "./overlay-room.ts";

/**
 * Fan-out through child rooms. A Durable Object is one thread: with thousands of pages, sending
 * one frame to each is the whole publish (10,000 sends in one object took longer than the 300 ms
 * budget). So a community's room (the parent, `idFromName(communityId)`) keeps what must be
 * single-writer — sequence numbers, the replay log, the latest state, token retirements — and
 * the pages' sockets are spread over `OVERLAY_CHILD_ROOMS` child rooms, which only hold sockets:
 * the parent forwards each numbered frame to them, and a page joining a child gets its hello and
 * replay from the parent, so resume works whichever child a reconnect lands on.
 */

/** The Durable Object env the room needs: its own namespace, to reach parent and children. */
export interface RoomEnv {
  OVERLAY_ROOM: DurableObjectNamespace<OverlayRoom>;
  /** How many child rooms a community's pages are spread over (default 8); 0: all in the room. */
  OVERLAY_CHILD_ROOMS?: string;
}

/**
 * 8 children hold 10,000 pages at 1,250 each (one room sending 1,000 frames took ~100 ms
 * locally); a small community only touches the children its few pages landed on.
 */
export const DEFAULT_CHILD_ROOMS = 8;
/** Upper bound for the setting: more children than this only adds RPCs per publish. */
export const MAX_CHILD_ROOMS = 64;

export function childRoomCount(env: Pick<RoomEnv, "OVERLAY_CHILD_ROOMS">): number {
  const raw = env.OVERLAY_CHILD_ROOMS?.trim();
  const n = raw ? Number(raw) : DEFAULT_CHILD_ROOMS;
  return Number.isInteger(n) && n >= 0 ? Math.min(n, MAX_CHILD_ROOMS) : DEFAULT_CHILD_ROOMS;
}

/** Child room `index` of the community room `parent` (by name, so it is the same after a deploy). */
export function childRoom(ns: RoomEnv["OVERLAY_ROOM"], parent: DurableObjectId, index: number) {
  return ns.get(ns.idFromName(`${parent.toString()}/child/${index}`));
}

/**
 * The room object a page's WebSocket goes to: a random child of the community's room (with
 * `parent` and `child` added to the connect URL), or the room itself when fan-out is off.
 * The router has already checked the page's token.
 */
export function roomForSocket(env: RoomEnv, communityId: string, connectUrl: URL): DurableObjectStub<OverlayRoom> {
  const parent = env.OVERLAY_ROOM.idFromName(communityId);
  const children = childRoomCount(env);
  if (children === 0) return env.OVERLAY_ROOM.get(parent);
  const index = Math.floor(Math.random() * children);
  connectUrl.searchParams.set("parent", parent.toString());
  connectUrl.searchParams.set("child", String(index));
  return childRoom(env.OVERLAY_ROOM, parent, index);
}

/** The parent's side: which children have held pages, and one call to all of them. */
export class ChildRooms {
  /** One stub per child, kept: calls on one stub arrive in order, so frames do too. */
  private readonly stubs = new Map<number, DurableObjectStub<OverlayRoom>>();

  constructor(
    private readonly sql: SqlStorage,
    private readonly env: RoomEnv,
    private readonly self: DurableObjectId,
  ) {
    // A child is remembered once a page joined it, and kept: a later, smaller setting must not
    // strand the pages still connected to a child above it.
    sql.exec("CREATE TABLE IF NOT EXISTS child_rooms (idx INTEGER PRIMARY KEY)");
    for (const { idx } of sql.exec<{ idx: number }>("SELECT idx FROM child_rooms")) this.stub(idx);
  }

  register(index: number): void {
    if (this.stubs.has(index)) return;
    this.sql.exec("INSERT OR IGNORE INTO child_rooms (idx) VALUES (?)", index);
    this.stub(index);
  }

  get size(): number {
    return this.stubs.size;
  }

  /** Calls every child; a child that fails is logged and counted out, never fails the caller. */
  async each<T>(call: (child: DurableObjectStub<OverlayRoom>) => Promise<T>): Promise<T[]> {
    const results = await Promise.allSettled([...this.stubs.values()].map(call));
    const out: T[] = [];
    for (const r of results) {
      if (r.status === "fulfilled") out.push(r.value);
      else log.warn("overlay room: a child room call failed", { error: r.reason });
    }
    return out;
  }

  private stub(index: number): void {
    this.stubs.set(index, childRoom(this.env.OVERLAY_ROOM, this.self, index));
  }
}

/** What a joining page of a child room is sent first: built by the parent from its log. */
export interface JoinSnapshot {
  hello: { op: "hello"; type: OverlayType; seq: number; oldestSeq: number | null; reset: boolean };
  frames: import("./overlay-replay-log.ts").OverlayFrame[];
  lastSeq: number;
}
