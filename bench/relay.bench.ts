/**
 * `npm run bench -- relay`: one gateway-relay copy (its own process) holding 1,000 Twitch
 * channels on a real IRC server (ngircd) and 100 guilds on the fake Discord gateway, all
 * connected to the demo community, with steady chat on both for BENCH_SECONDS. Reports the
 * relay's RSS, events forwarded per second, and p99 from receipt to `/relay/events` accepted
 * (measured inside the relay), and how long joining the 1,000 channels took. The workers run
 * as `npm start` runs them, so the accepting side is workerd under Miniflare on this machine.
 *
 * Knobs: BENCH_SECONDS (default 30), BENCH_IRC_RATE and BENCH_DISCORD_RATE (events/s each,
 * default 100 and 100), BENCH_CHANNELS (1000), BENCH_GUILDS (100). Last line: `BENCH {json}`.
 */

import { startRelaySystem } from "../test/e2e/relay-system.ts";
import { snowflake } from "../test/shared/ids.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const IRC_RATE = Number(process.env.BENCH_IRC_RATE ?? 100);
const DISCORD_RATE = Number(process.env.BENCH_DISCORD_RATE ?? 100);
const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 1000);
const GUILDS = Number(process.env.BENCH_GUILDS ?? 100);
const CHATTERS = 50;
const TARGETS = 5;

interface RelayMetrics {
  channels: number;
  channelsJoined: number;
  shards: number[];
  eventsForwarded: number;
  eventsReceived: number;
  retries: number;
  dropped: number;
  bufferDepth: number;
  p99Ms: number;
  rssBytes: number;
}

const sys = await startRelaySystem();
const logins = Array.from({ length: CHANNELS }, (_, i) => `bench${i}`);
const guilds = Array.from({ length: GUILDS }, () => snowflake());
// Connections as the connections flow writes them, in batches (D1 caps statements per batch).
const rows = [
  ...logins.map((l, i) => ["twitch", String(300_000_000 + i), l] as const),
  ...guilds.map((g) => ["discord", g, `guild ${g}`] as const),
];
for (let i = 0; i < rows.length; i += 100) {
  await sys.db.batch(
    rows
      .slice(i, i + 100)
      .map(([platform, id, name]) =>
        sys.db
          .prepare(
            "INSERT INTO community_platforms (id, community_id, platform, platform_id, display_name, status, created_at) VALUES (?, ?, ?, ?, ?, 'active', ?)",
          )
          .bind(crypto.randomUUID(), sys.communityId, platform, id, name, Date.now()),
      ),
  );
}
for (const id of guilds) sys.gateway.addGuild({ id });

const relay = await sys.relayProcess({ RELAY_COPY_ID: "bench" });
const metrics = async (): Promise<RelayMetrics> =>
  (await fetch(`${relay.url}/metrics`)).json() as Promise<RelayMetrics>;
const waitFor = async (check: (m: RelayMetrics) => boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = await metrics().catch(() => undefined);
    if (m && check(m)) return m;
    if (Date.now() > deadline) throw new Error(`relay did not get there in time: ${JSON.stringify(m)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

const joinStart = Date.now();
const held = await waitFor((m) => m.channelsJoined >= CHANNELS && m.shards.length === 1, 180_000);
const joinSeconds = (Date.now() - joinStart) / 1000;
await waitFor(() => sys.gateway.connected() >= 1, 30_000);
// ngircd paces each client to about three lines a second: chatters join with one JOIN line per
// 20 channels and talk with multi-target PRIVMSG lines (one line, TARGETS events).
const chatters = await Promise.all(Array.from({ length: CHATTERS }, (_, i) => sys.irc.user(`chatter${i}`)));
const perChatter = Math.ceil(CHANNELS / CHATTERS);
const mine = (i: number) => logins.slice(i * perChatter, (i + 1) * perChatter);
for (const [i, c] of chatters.entries()) {
  const list = mine(i);
  for (let j = 0; j < list.length; j += 20)
    c.raw(
      `JOIN ${list
        .slice(j, j + 20)
        .map((l) => `#${l}`)
        .join(",")}`,
    );
}
for (const [i, c] of chatters.entries()) {
  const last = mine(i).at(-1);
  if (last) await c.waitMember(last, "justinfan", 120_000);
}
const baseline = await metrics();
const rssStart = baseline.rssBytes;

console.log(
  `relay in ${held.channelsJoined} channels, shard ${held.shards} (joined in ${joinSeconds.toFixed(1)} s); traffic for ${SECONDS} s`,
);
const start = Date.now();
let sent = 0;
let line = 0;
let ircDue = 0;
let discordDue = 0;
let peakRss = rssStart;
const tickMs = 100;
while (Date.now() - start < SECONDS * 1000) {
  const tick = Date.now();
  // Fractional rates accumulate: 15/s is 1.5 events per 100 ms tick.
  ircDue += (IRC_RATE * tickMs) / 1000;
  discordDue += (DISCORD_RATE * tickMs) / 1000;
  for (; ircDue >= TARGETS; ircDue -= TARGETS) {
    const n = line++;
    const c = chatters[n % CHATTERS]!;
    const list = mine(n % CHATTERS);
    const first = (Math.floor(n / CHATTERS) * TARGETS) % list.length;
    const targets = list.slice(first, first + TARGETS);
    c.say(targets.join(",#"), `hello ${n}`);
    sent += targets.length;
  }
  for (; discordDue >= 1; discordDue--) {
    sent++;
    const guild = guilds[sent % GUILDS]!;
    sys.gateway.dispatch(guild, "MESSAGE_CREATE", {
      id: snowflake(),
      channel_id: guild,
      author: { id: snowflake(), username: "bench", discriminator: "0" },
      member: { roles: [] },
      content: `hello ${sent}`,
      timestamp: new Date().toISOString(),
      type: 0,
    });
  }
  if (sent % 1000 < (IRC_RATE + DISCORD_RATE) / 10) peakRss = Math.max(peakRss, (await metrics()).rssBytes);
  await new Promise((r) => setTimeout(r, Math.max(0, tickMs - (Date.now() - tick))));
}
const trafficSeconds = (Date.now() - start) / 1000;
// Let the relay drain what it received, then read its counters.
const end = await waitFor(
  (m) => m.bufferDepth === 0 && m.eventsReceived - baseline.eventsReceived >= sent * 0.99,
  120_000,
);
const drainSeconds = (Date.now() - start) / 1000;
peakRss = Math.max(peakRss, end.rssBytes);
const forwarded = end.eventsForwarded - baseline.eventsForwarded;
const result = {
  channels: held.channelsJoined,
  guilds: GUILDS,
  joinSeconds: Math.round(joinSeconds * 10) / 10,
  sent,
  received: end.eventsReceived - baseline.eventsReceived,
  forwarded,
  dropped: end.dropped,
  retries: end.retries - baseline.retries,
  eventsPerSecond: Math.round(forwarded / drainSeconds),
  offeredPerSecond: Math.round(sent / trafficSeconds),
  p99Ms: end.p99Ms,
  rssMB: Math.round(peakRss / 1024 / 1024),
};
console.log(
  `forwarded ${forwarded}/${sent} events at ${result.eventsPerSecond}/s, p99 receipt → accepted ${result.p99Ms} ms, relay RSS ${result.rssMB} MB (target ≤ 256)`,
);
for (const c of chatters) c.quit();
await sys.close();
console.log(`BENCH ${JSON.stringify(result)}`);
process.exit(0);
