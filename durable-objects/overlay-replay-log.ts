import type { OverlayType } from "../lib/db/schema/overlays.ts";

/** The replay window: a page that was away longer than this (or missed more) gets the current state. */
export const REPLAY_MAX_MESSAGES = 200;
export const REPLAY_MAX_AGE_MS = 10 * 60_000;
/** A socket whose heartbeat has been silent this long is closed (pages ping every 20 s). */
export const STALE_SOCKET_MS = 90_000;

/** One message as it goes over the socket and into the replay log. */
export interface OverlayFrame {
  op: "msg";
  seq: number;
  type: OverlayType;
  data: Record<string, unknown>;
  /** When it was published (ms since the epoch). */
  at: number;
}

/** Per-socket state, kept in the socket's attachment so it survives hibernation. */
export interface SocketState {
  id: string;
  type: OverlayType;
  /** The token generation the page connected with. */
  gen: number;
  connectedAt: number;
  /** The last sequence number sent to this socket when it connected (see listClients). */
  lastSeq: number;
}

export interface ClientInfo extends SocketState {
  /** When the page's last heartbeat was answered (null: none yet). */
  lastPingAt: number | null;
}

export interface PublishResult {
  seq: number;
  delivered: number;
}

type Row = { seq: number; type: OverlayType; data: string; at: number };
const toFrame = (r: Row): OverlayFrame => ({ op: "msg", seq: r.seq, type: r.type, data: JSON.parse(r.data), at: r.at });

/**
 * The room's SQLite storage: the bounded message log (room-wide sequence numbers that never go
 * back, thanks to AUTOINCREMENT), the latest message per type (the current state a fresh page
 * shows, never pruned), and pending token retirements.
 */
export class ReplayLog {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, data TEXT NOT NULL, at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS messages_type_seq ON messages(type, seq);
      CREATE TABLE IF NOT EXISTS latest (type TEXT PRIMARY KEY, seq INTEGER NOT NULL, data TEXT NOT NULL, at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS retirements (type TEXT PRIMARY KEY, below_generation INTEGER NOT NULL, at INTEGER NOT NULL);
    `);
  }

  append(type: OverlayType, data: Record<string, unknown>, at: number): OverlayFrame {
    const json = JSON.stringify(data);
    const { seq } = this.sql
      .exec<{ seq: number }>("INSERT INTO messages (type, data, at) VALUES (?, ?, ?) RETURNING seq", type, json, at)
      .one();
    this.sql.exec(
      "INSERT INTO latest (type, seq, data, at) VALUES (?, ?, ?, ?) ON CONFLICT(type) DO UPDATE SET seq = excluded.seq, data = excluded.data, at = excluded.at",
      type,
      seq,
      json,
      at,
    );
    this.sql.exec(
      "DELETE FROM messages WHERE seq <= (SELECT seq FROM messages ORDER BY seq DESC LIMIT 1 OFFSET ?)",
      REPLAY_MAX_MESSAGES,
    );
    return { op: "msg", seq, type, data, at };
  }

  /** The room's newest sequence number (0 before the first message) and the oldest still replayable. */
  head() {
    const seq = this.sql.exec<{ seq: number | null }>("SELECT max(seq) AS seq FROM latest").one().seq ?? 0;
    const oldestSeq = this.sql.exec<{ seq: number | null }>("SELECT min(seq) AS seq FROM messages").one().seq;
    /** A page claiming to be ahead of the room saw another life of it: start it afresh. */
    const reset = (since: number | undefined) => since !== undefined && since > seq;
    return { seq, oldestSeq, reset };
  }

  /**
   * What a connecting page of `type` must be sent. A first load (no `since`) gets the current
   * state: the latest media or general message; old ticker alerts are not replayed. A resume
   * gets every message of its type after `since` still in the window; when the window no longer
   * reaches back that far, media and general still get their latest message.
   */
  replay(type: OverlayType, since: number | undefined): OverlayFrame[] {
    const latest = this.sql.exec<Row>("SELECT seq, type, data, at FROM latest WHERE type = ?", type).toArray()[0];
    if (since === undefined || this.head().reset(since)) {
      return type !== "ticker" && latest ? [toFrame(latest)] : [];
    }
    const rows = this.sql
      .exec<Row>("SELECT seq, type, data, at FROM messages WHERE type = ? AND seq > ? ORDER BY seq", type, since)
      .toArray();
    if (rows.length === 0 && type !== "ticker" && latest && latest.seq > since) return [toFrame(latest)];
    return rows.map(toFrame);
  }

  /** The newest sequence number of each type published so far. */
  latestSeqByType(): Partial<Record<OverlayType, number>> {
    const rows = this.sql.exec<{ type: OverlayType; seq: number }>("SELECT type, seq FROM latest").toArray();
    return Object.fromEntries(rows.map((r) => [r.type, r.seq]));
  }

  /** The newest messages (oldest first), optionally of one type. */
  recent(type?: OverlayType, limit = 50): OverlayFrame[] {
    const rows = type
      ? this.sql.exec<Row>("SELECT * FROM messages WHERE type = ? ORDER BY seq DESC LIMIT ?", type, limit).toArray()
      : this.sql.exec<Row>("SELECT * FROM messages ORDER BY seq DESC LIMIT ?", limit).toArray();
    return rows.reverse().map(toFrame);
  }

  prune(now: number): void {
    this.sql.exec("DELETE FROM messages WHERE at <= ?", now - REPLAY_MAX_AGE_MS);
  }

  nextPruneAt(): number | null {
    const at = this.sql.exec<{ at: number | null }>("SELECT min(at) AS at FROM messages").one().at;
    return at === null ? null : at + REPLAY_MAX_AGE_MS;
  }

  retire(type: OverlayType, belowGeneration: number, at: number): void {
    this.sql.exec(
      "INSERT INTO retirements (type, below_generation, at) VALUES (?, ?, ?) ON CONFLICT(type) DO UPDATE SET below_generation = max(below_generation, excluded.below_generation), at = excluded.at",
      type,
      belowGeneration,
      at,
    );
  }

  /** Retirements whose time has come; each is returned once. */
  dueRetirements(now: number): { type: OverlayType; belowGeneration: number }[] {
    return this.sql
      .exec<{ type: OverlayType; belowGeneration: number }>(
        "DELETE FROM retirements WHERE at <= ? RETURNING type, below_generation AS belowGeneration",
        now,
      )
      .toArray();
  }

  nextRetirementAt(): number | null {
    return this.sql.exec<{ at: number | null }>("SELECT min(at) AS at FROM retirements").one().at;
  }
}
