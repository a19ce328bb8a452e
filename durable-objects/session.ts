import { PingableObject } from "./base.ts";

/** What a session carries: the event's context, for a module that answers later. */
export interface SessionContext {
  communityId: string;
  platform: string;
  userId: string;
  username: string;
  channelId: string;
  eventId: string;
  command?: string;
  moduleId?: string;
}

export interface StoredSession {
  id: string;
  context: SessionContext;
  createdAt: number;
  expiresAt: number;
}

/**
 * One object per session (`sess_` + 32 hex; the object's name is the session id), so
 * sessions shard by id and no object is hot. An alarm deletes the session at its expiry;
 * reads after expiry see nothing even before the alarm has run.
 */
export class RouterSession extends PingableObject {
  async create(id: string, context: SessionContext, ttlMs: number, now = Date.now()): Promise<StoredSession> {
    const session: StoredSession = { id, context, createdAt: now, expiresAt: now + ttlMs };
    await this.ctx.storage.put("session", session);
    await this.ctx.storage.setAlarm(session.expiresAt);
    return session;
  }

  async get(now = Date.now()): Promise<StoredSession | null> {
    const session = await this.ctx.storage.get<StoredSession>("session");
    if (!session || session.expiresAt <= now) return null;
    return session;
  }

  override async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}
