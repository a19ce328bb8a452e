/**
 * A real IRC server for the relay's Twitch tests: Debian's ngircd, one per test file, on a
 * free port with a throwaway config (never the system service). `.ci/run` installs it.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./free-port.ts";

const BINARY = ["/usr/sbin/ngircd", "/usr/bin/ngircd"].find((p) => spawnSync(p, ["--version"]).status === 0);

/** Why ngircd cannot run here, or null when it can (tests skip loudly on a reason). */
export const ngircdMissing: string | null = BINARY
  ? null
  : "ngircd is not installed (apt-get install ngircd; .ci/run does it): the relay's IRC tests are SKIPPED";
if (ngircdMissing) console.warn(`\n!!! ${ngircdMissing} !!!\n`);

export interface Ngircd {
  port: number;
  url: string;
  /** Only clients sending `PASS <password>` register from now on (config reloaded with SIGHUP). */
  setPassword(password: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `password`: ngircd's [Global] Password, the stand-in for Twitch's check of `PASS oauth:<token>`
 * (Twitch takes any valid token of the account; this server takes the one it is told).
 */
export async function startNgircd(opts: { password?: string } = {}): Promise<Ngircd> {
  if (!BINARY) throw new Error(ngircdMissing!);
  const dir = mkdtempSync(path.join(tmpdir(), "ngircd-"));
  const port = await freePort();
  const conf = path.join(dir, "ngircd.conf");
  // No joins/connection caps and no idle limits: one relay holds a thousand channels.
  const config = (password?: string) =>
    `[Global]
Name = irc.waddlebot.test
Info = WaddleBot relay tests
Listen = 127.0.0.1
Ports = ${port}
PidFile = ${dir}/ngircd.pid
MotdPhrase = test
${password ? `Password = ${password}\n` : ""}[Limits]
MaxConnections = 0
MaxConnectionsIP = 0
MaxJoins = 0
MaxNickLength = 30
PingTimeout = 120
PongTimeout = 60
[Options]
PAM = no
Ident = no
DNS = no
`;
  writeFileSync(conf, config(opts.password));
  // ngircd drops root for "nobody" and re-reads the file as that user on SIGHUP.
  chmodSync(dir, 0o755);
  chmodSync(conf, 0o644);
  // In the foreground (-n) ngircd logs to stdout: read, so a reload is known to be finished (and
  // always drained, so a full pipe never stalls the server).
  const child: ChildProcess = spawn(BINARY, ["-n", "-f", conf], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += String(d);
  });
  const recent: string[] = [];
  let partial = "";
  let reloads = 0;
  let probes = 0;
  child.stdout?.on("data", (d) => {
    const lines = (partial + String(d)).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (line.includes("Re-reading of configuration done.")) reloads++;
      recent.push(line);
    }
    recent.splice(0, recent.length - 10);
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ngircd exited: ${stderr}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = createConnection({ port, host: "127.0.0.1" }, () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline) throw new Error(`ngircd did not listen on ${port}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url: `irc://127.0.0.1:${port}`,
    async setPassword(password: string) {
      writeFileSync(conf, config(password));
      const before = reloads;
      child.kill("SIGHUP");
      // A reload closes the listening socket and opens it again, and a client connecting meanwhile
      // is refused or reset: a probe sent right after the signal raced it (lost more often on a
      // busy machine, and then hung). So wait for ngircd's own word that the reload is done
      // (logged after the socket is back), then check the password once.
      for (const deadline = Date.now() + 20_000; reloads === before; ) {
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`ngircd did not reload its config: ${recent.join(" | ")} ${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      // A nick of its own: an earlier probe's QUIT may not be processed yet.
      const user = await ircUser(port, `probe${++probes}`, password);
      user.quit();
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A plain IRC user (a chatter in a channel), speaking raw IRC over TCP. */
export async function ircUser(port: number, nick: string, password?: string) {
  const socket: Socket = createConnection({ port, host: "127.0.0.1" });
  // The server going away at the end of a run resets the socket: not an error of the test.
  socket.on("error", () => {});
  let buffer = "";
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  socket.on("close", () => {
    for (const w of waiters.splice(0)) w();
  });
  socket.on("data", (chunk) => {
    buffer += String(chunk);
    let i = buffer.indexOf("\r\n");
    while (i >= 0) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      if (line.startsWith("PING")) socket.write(`PONG${line.slice(4)}\r\n`);
      lines.push(line);
      i = buffer.indexOf("\r\n");
    }
    for (const w of waiters.splice(0)) w();
  });
  const waitLine = async (match: (l: string) => boolean, from = 0, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines.slice(from).find(match);
      if (found) return found;
      // Closed or reset (the server went away, or reloaded while this client was queued): no line will come.
      if (socket.destroyed) throw new Error(`IRC: connection of ${nick} closed; got ${lines.slice(-5).join(" | ")}`);
      if (Date.now() > deadline)
        throw new Error(`IRC: no matching line for ${nick}; got ${lines.slice(-5).join(" | ")}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 100);
      });
    }
  };
  // A refused connection fails here at once instead of waiting for a "connect" that never comes.
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.off("error", reject);
      resolve();
    });
  });
  socket.write(`${password ? `PASS ${password}\r\n` : ""}NICK ${nick}\r\nUSER ${nick} 0 * :${nick}\r\n`);
  const welcome = await waitLine((l) => / 001 /.test(l) || l.startsWith("ERROR"));
  if (welcome.startsWith("ERROR")) {
    socket.destroy();
    throw new Error(`IRC: ${nick} refused: ${welcome}`);
  }
  return {
    lines,
    raw: (text: string) => socket.write(`${text}\r\n`),
    async join(channel: string) {
      socket.write(`JOIN #${channel}\r\n`);
      await waitLine((l) => l.includes(`JOIN`) && l.includes(`#${channel}`) && l.startsWith(`:${nick}!`));
    },
    say: (channel: string, text: string) => socket.write(`PRIVMSG #${channel} :${text}\r\n`),
    /** Waits until `other` (the relay's nick prefix) is in the channel: NAMES lists it. */
    async waitMember(channel: string, nickPrefix: string, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const before = lines.length;
        socket.write(`NAMES #${channel}\r\n`);
        await waitLine((l) => / 366 /.test(l), before);
        const names = lines.slice(before).find((l) => / 353 /.test(l) && l.includes(`#${channel}`));
        if (
          names
            ?.split(":")
            .at(-1)
            ?.split(" ")
            .some((n) => n.replace(/^[@+]/, "").startsWith(nickPrefix))
        )
          return;
        if (Date.now() > deadline) throw new Error(`${nickPrefix}* never joined #${channel}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    quit: () => socket.end("QUIT :bye\r\n"),
  };
}
