import type { RelayEvent } from "../../lib/relay/protocol.ts";

/** The relay's clock; tests pass one they move by hand (three minutes in voice, instantly). */
export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

interface Session {
  guildId: string;
  userId: string;
  username: string;
  channelId: string;
  /** When this session started (part of every event id it produces). */
  startedAt: number;
  /** Milliseconds in voice not yet reported as whole minutes. */
  counted: number;
  since: number;
  reports: number;
}

const MINUTE = 60_000;

/**
 * Voice time per member (seeds: voice join 8 points, then 1 per minute). The relay keeps one
 * session per member in voice; `tick()` (every few seconds) reports whole minutes as they
 * complete, so a member is credited at least every minute, and leaving reports the rest.
 * Partial minutes on leave are not credited (the seeds count per minute). Ids are
 * `voice:{guild}:{user}:{start}:{n}`: a retry of the same report is deduplicated.
 */
export class VoiceTracker {
  private readonly sessions = new Map<string, Session>();

  private readonly emit: (event: RelayEvent) => void;
  private readonly clock: Clock;

  constructor(emit: (event: RelayEvent) => void, clock: Clock = systemClock) {
    this.emit = emit;
    this.clock = clock;
  }

  /** A VOICE_STATE_UPDATE: channelId null means the member left voice. */
  update(guildId: string, user: { id: string; username: string }, channelId: string | null, announce = true): void {
    const key = `${guildId}:${user.id}`;
    const current = this.sessions.get(key);
    if (current && channelId) {
      current.channelId = channelId; // moved between voice channels: the same session
      return;
    }
    if (current && !channelId) {
      this.report(current, true);
      this.sessions.delete(key);
      return;
    }
    if (!current && channelId) {
      const now = this.clock.now();
      const session = { guildId, userId: user.id, username: user.username, channelId, startedAt: now, since: now };
      this.sessions.set(key, { ...session, counted: 0, reports: 0 });
      // announce=false: already in voice when this copy took the guild over (no second join).
      if (announce) this.emit(this.event(this.sessions.get(key)!, "voice_join", {}, `voice:${key}:${now}:join`));
    }
  }

  /** Reports every session's completed minutes. */
  tick(): void {
    for (const s of this.sessions.values()) this.report(s, false);
  }

  /** Ends every session of these guilds (their shard left this copy: the new owner takes over). */
  dropGuilds(guildIds: Set<string>): void {
    for (const [key, s] of this.sessions) {
      if (!guildIds.has(s.guildId)) continue;
      this.report(s, true);
      this.sessions.delete(key);
    }
  }

  get size(): number {
    return this.sessions.size;
  }

  private report(s: Session, final: boolean): void {
    const now = this.clock.now();
    s.counted += now - s.since;
    s.since = now;
    const minutes = Math.floor(s.counted / MINUTE);
    if (minutes < 1) return;
    s.counted -= minutes * MINUTE;
    s.reports++;
    const id = `voice:${s.guildId}:${s.userId}:${s.startedAt}:${s.reports}`;
    this.emit(this.event(s, "voice_time", { minutes, final }, id));
  }

  private event(s: Session, type: "voice_join" | "voice_time", data: Record<string, unknown>, id: string): RelayEvent {
    return {
      id,
      platform: "discord",
      type,
      communityPlatformId: s.guildId,
      channel: { id: s.channelId },
      user: { id: s.userId, username: s.username, roles: [], badges: [] },
      data,
      reply: { kind: "none" },
    };
  }
}
