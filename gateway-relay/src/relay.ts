import type { Assignment, RelayEvent } from "../../lib/relay/protocol.ts";
import { RelayEventSchema } from "../../lib/relay/protocol.ts";
import type { RelayConfig } from "./config.ts";
import { CoordinatorClient } from "./coordinator.ts";
import { DiscordRelay } from "./discord.ts";
import { Forwarder } from "./forwarder.ts";
import { startHttp } from "./http.ts";
import { newMetrics } from "./metrics.ts";
import { TwitchRelay } from "./twitch.ts";
import { type Clock, systemClock, VoiceTracker } from "./voice.ts";

export interface RelayDeps {
  /** Injectable for tests: voice minutes without waiting minutes. */
  clock?: Clock;
  /** How often voice minutes are checked (default 5 s: reported within a minute and 5 s). */
  voiceTickMs?: number;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
  /** Sees every event this copy accepted for forwarding (tests). */
  onEvent?: (event: RelayEvent) => void;
}

const defaultLog = (msg: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ level: "info", msg, ...fields }));

/**
 * One relay copy: the coordinator tells it which Discord shards and Twitch channels to hold;
 * whatever those connections hear becomes relay events, checked against the same schema the
 * worker uses (an event that would be refused is logged and skipped here), and delivered at
 * least once by the forwarder.
 */
export async function startRelay(config: RelayConfig, deps: RelayDeps = {}) {
  const log = deps.log ?? defaultLog;
  const metrics = newMetrics();
  const forwarder = new Forwarder({
    webhooksUrl: config.webhooksUrl,
    secret: config.secret,
    bufferSize: config.bufferSize,
    metrics,
    log,
  });
  const emit = (event: RelayEvent) => {
    const checked = RelayEventSchema.safeParse(event);
    if (!checked.success) {
      metrics.malformed++;
      log("relay: event does not match the contract, skipped", { id: event.id, issues: checked.error.issues.length });
      return;
    }
    deps.onEvent?.(event);
    forwarder.send(event);
  };
  const voice = new VoiceTracker(emit, deps.clock ?? systemClock);
  const voiceTimer = setInterval(() => voice.tick(), deps.voiceTickMs ?? 5_000);
  const twitch = new TwitchRelay({
    irc: config.irc,
    botLevel: config.twitchBotLevel,
    clientId: config.twitchClientId,
    metrics,
    emit,
    log,
    onCredentialRejected: (token) => void coordinator.credentialRejected(token),
  });
  const discord = config.discordToken
    ? new DiscordRelay({
        token: config.discordToken,
        apiBase: config.discordApiBase,
        gatewayUrl: config.discordGatewayUrl,
        metrics,
        voice,
        emit,
        log,
      })
    : undefined;

  const apply = async (a: Assignment) => {
    await Promise.all([
      twitch.assign(a.twitch.channels, a.twitch.credential),
      discord?.assign(a.discord.shardCount, a.discord.shardIds),
    ]);
    return { shardIds: discord?.held() ?? [], channels: twitch.held() };
  };
  const coordinator = new CoordinatorClient({
    webhooksUrl: config.webhooksUrl,
    secret: config.secret,
    copyId: config.copyId,
    metrics,
    apply,
    log,
  });
  const http = await startHttp(metrics, config.port, config.host);
  await coordinator.start();
  log("relay: started", { copyId: config.copyId, health: `${http.url}/health` });

  return {
    copyId: config.copyId,
    url: http.url,
    metrics,
    voice,
    forwarder,
    twitch,
    discord,
    /** Stops everything; `kill` skips the goodbyes (a crashed copy, for tests). */
    async stop({ kill = false } = {}) {
      clearInterval(voiceTimer);
      coordinator.stop();
      if (!kill) voice.tick();
      twitch.stop();
      await discord?.stop();
      // Up to 5 s for what is still buffered (a deploy's SIGTERM), then whatever is left is lost.
      if (!kill) await Promise.race([forwarder.drained(), new Promise((r) => setTimeout(r, 5_000).unref())]);
      forwarder.stop();
      const closed = new Promise<void>((resolve) => http.server.close(() => resolve()));
      http.server.closeAllConnections();
      await closed;
    },
  };
}

export type Relay = Awaited<ReturnType<typeof startRelay>>;
