import { Client, GatewayDispatchEvents, GatewayIntentBits } from "@discordjs/core";
import { REST } from "@discordjs/rest";
import { SimpleIdentifyThrottler, WebSocketManager, WebSocketShardEvents } from "@discordjs/ws";
import type { RelayEvent } from "../../lib/relay/protocol.ts";
import { boostEvent, memberJoinEvent, messageEvent, reactionEvent } from "./discord-events.ts";
import type { Metrics } from "./metrics.ts";
import type { VoiceTracker } from "./voice.ts";

/** The seeds' Discord features: messages (+content), reactions, joins, voice, boosts (member updates). */
const INTENTS =
  GatewayIntentBits.Guilds |
  GatewayIntentBits.GuildMessages |
  GatewayIntentBits.MessageContent |
  GatewayIntentBits.GuildMembers |
  GatewayIntentBits.GuildVoiceStates |
  GatewayIntentBits.GuildMessageReactions;

interface DiscordOptions {
  token: string;
  /** e.g. https://discord.com/api/v10 (the REST client adds the version itself). */
  apiBase: string;
  gatewayUrl?: string;
  metrics: Metrics;
  voice: VoiceTracker;
  emit(event: RelayEvent): void;
  log(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * The Discord side: one @discordjs/ws manager per assigned shard, so the coordinator can move a
 * single shard between copies (connect the new one before the old one closes) without
 * restarting the others. Identify limits: one shared throttler, keyed by shard id modulo
 * `max_concurrency`, spaces identifies 5 s apart as Discord asks; RESUME after a disconnect and
 * heartbeats are the library's.
 */
export class DiscordRelay {
  private readonly rest: REST;
  private readonly shards = new Map<number, { manager: WebSocketManager; guilds: Set<string> }>();
  private shardCount = 0;
  private throttler: SimpleIdentifyThrottler | undefined;
  private gatewayInfo: ReturnType<WebSocketManager["fetchGatewayInformation"]> | undefined;
  private readonly premium = new Map<string, string | null>();

  private readonly opts: DiscordOptions;

  constructor(opts: DiscordOptions) {
    this.opts = opts;
    this.rest = new REST({ api: opts.apiBase.replace(/\/v\d+$/, ""), version: "10" }).setToken(opts.token);
  }

  /** Holds exactly these shards of `shardCount`; a new count restarts every shard (resharding). */
  async assign(shardCount: number, shardIds: number[]): Promise<void> {
    if (shardCount !== this.shardCount) {
      await this.stop();
      this.shardCount = shardCount;
    }
    const wanted = new Set(shardIds);
    for (const id of wanted) if (!this.shards.has(id)) await this.open(id);
    for (const id of [...this.shards.keys()]) if (!wanted.has(id)) await this.close(id);
    this.opts.metrics.shards = [...this.shards.keys()].sort((a, b) => a - b);
  }

  /** Guilds this copy has seen GUILD_CREATE for. */
  guildCount(): number {
    let n = 0;
    for (const s of this.shards.values()) n += s.guilds.size;
    return n;
  }

  held(): number[] {
    return [...this.shards.keys()];
  }

  async stop(): Promise<void> {
    for (const id of [...this.shards.keys()]) await this.close(id);
  }

  private gateway(manager: WebSocketManager) {
    // GET /gateway/bot once for all shards; DISCORD_GATEWAY_URL replaces only the address.
    this.gatewayInfo ??= WebSocketManager.prototype.fetchGatewayInformation.call(manager).then((info) => ({
      ...info,
      url: this.opts.gatewayUrl ?? info.url,
    }));
    return this.gatewayInfo;
  }

  private async open(shardId: number): Promise<void> {
    const relay = this;
    const manager = new (class extends WebSocketManager {
      override fetchGatewayInformation() {
        return relay.gateway(this);
      }
    })({
      token: this.opts.token,
      intents: INTENTS,
      rest: this.rest,
      shardCount: this.shardCount,
      shardIds: [shardId],
      buildIdentifyThrottler: async (m) => {
        this.throttler ??= new SimpleIdentifyThrottler(
          (await m.fetchGatewayInformation()).session_start_limit.max_concurrency,
        );
        return this.throttler;
      },
    });
    const guilds = new Set<string>();
    this.shards.set(shardId, { manager, guilds });
    const m = this.opts.metrics;
    manager.on(WebSocketShardEvents.Ready, () => m.discordShardsOpen++);
    manager.on(WebSocketShardEvents.Closed, (code) => {
      m.discordShardsOpen = Math.max(0, m.discordShardsOpen - 1);
      this.opts.log("discord: shard closed", { shardId, code });
    });
    manager.on(WebSocketShardEvents.Error, (error) => {
      m.malformed++;
      this.opts.log("discord: shard error (frame skipped)", { shardId, error: String(error) });
    });
    const client = new Client({ rest: this.rest, gateway: manager });
    this.listen(client, guilds);
    await manager.connect();
  }

  private async close(shardId: number): Promise<void> {
    const shard = this.shards.get(shardId);
    if (!shard) return;
    this.shards.delete(shardId);
    this.opts.voice.dropGuilds(shard.guilds);
    await shard.manager.destroy({ reason: "shard moved to another relay copy" });
  }

  /** Every handler catches: a dispatch missing fields is logged and skipped, never fatal. */
  private listen(client: Client, guilds: Set<string>): void {
    // One typed wrapper: core's MappedEvents overloads are not generic over the event name.
    const subscribe = client.on.bind(client) as (name: string, listener: (p: { data: unknown }) => void) => Client;
    const on = <T>(name: GatewayDispatchEvents, handle: (data: T) => void) =>
      subscribe(name, ({ data }) => {
        try {
          handle(data as T);
        } catch (error) {
          this.opts.metrics.malformed++;
          this.opts.log("discord: malformed dispatch skipped", { event: name, error: String(error) });
        }
      });
    const emit = (e: RelayEvent | null) => e && this.opts.emit(e);
    on(GatewayDispatchEvents.MessageCreate, (d: Parameters<typeof messageEvent>[0]) => emit(messageEvent(d)));
    on(GatewayDispatchEvents.MessageReactionAdd, (d: Parameters<typeof reactionEvent>[0]) => emit(reactionEvent(d)));
    on(GatewayDispatchEvents.GuildMemberAdd, (d: Parameters<typeof memberJoinEvent>[0]) => emit(memberJoinEvent(d)));
    on(GatewayDispatchEvents.GuildCreate, (d: GuildCreate) => {
      guilds.add(d.id);
      for (const member of d.members ?? [])
        if (member.user) this.premium.set(`${d.id}:${member.user.id}`, member.premium_since ?? null);
      // Members already in voice when this copy took the guild: counted from now, no join points.
      for (const state of d.voice_states ?? []) {
        const member = d.members?.find((x) => x.user?.id === state.user_id);
        this.opts.voice.update(
          d.id,
          { id: state.user_id, username: member?.user?.username ?? "" },
          state.channel_id,
          false,
        );
      }
    });
    on(GatewayDispatchEvents.VoiceStateUpdate, (d: VoiceState) => {
      if (!d.guild_id || d.member?.user?.bot) return;
      this.opts.voice.update(d.guild_id, { id: d.user_id, username: d.member?.user?.username ?? "" }, d.channel_id);
    });
    on(GatewayDispatchEvents.GuildMemberUpdate, (d: MemberUpdate) => {
      const key = `${d.guild_id}:${d.user.id}`;
      const before = this.premium.get(key);
      this.premium.set(key, d.premium_since ?? null);
      if (d.premium_since && before !== d.premium_since) emit(boostEvent(d.guild_id, d.user, d.premium_since));
    });
  }
}

interface GuildCreate {
  id: string;
  members?: { user?: { id: string; username: string }; premium_since?: string | null }[];
  voice_states?: { user_id: string; channel_id: string | null }[];
}
interface VoiceState {
  guild_id?: string;
  user_id: string;
  channel_id: string | null;
  member?: { user?: { username: string; bot?: boolean } };
}
interface MemberUpdate {
  guild_id: string;
  user: { id: string; username: string };
  premium_since?: string | null;
}
