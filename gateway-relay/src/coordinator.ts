import WebSocket from "ws";
import { sha256Hex } from "../../lib/crypto/encoding.ts";
import {
  type Assignment,
  AssignmentSchema,
  COPY_HEADER,
  connectBody,
  relaySignature,
} from "../../lib/relay/protocol.ts";
import type { Metrics } from "./metrics.ts";

interface CoordinatorOptions {
  webhooksUrl: string;
  secret: string;
  copyId: string;
  metrics: Metrics;
  /** Applies an assignment; resolves with what the copy holds afterwards. */
  apply(a: Assignment): Promise<{ shardIds: number[]; channels: string[] }>;
  log(msg: string, fields?: Record<string, unknown>): void;
  heartbeatMs?: number;
}

/**
 * The copy's side of the RelayCoordinator: a WebSocket to `/relay/connect`, signed like
 * `/relay/events`; a heartbeat every 5 s renews the copy's lease (the coordinator reassigns a
 * copy silent for 15 s). Each assignment is applied in order and answered with `applied`,
 * which lets the coordinator take a moved channel or shard from its old copy only once the new
 * one holds it. Reconnects with backoff (1 s doubling to 30 s) when the socket drops.
 */
export class CoordinatorClient {
  private ws: WebSocket | undefined;
  private stopped = false;
  private backoff = 1_000;
  private heartbeat: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  private readonly opts: CoordinatorOptions;

  constructor(opts: CoordinatorOptions) {
    this.opts = opts;
  }

  async start(): Promise<void> {
    const o = this.opts;
    const url = `${o.webhooksUrl.replace(/^http/, "ws")}/relay/connect`;
    const headers = { [COPY_HEADER]: o.copyId, ...(await relaySignature(o.secret, connectBody(o.copyId))) };
    const ws = new WebSocket(url, { headers });
    this.ws = ws;
    ws.on("open", () => {
      this.backoff = 1_000;
      o.metrics.coordinatorConnected = true;
      this.heartbeat = setInterval(() => this.send({ type: "heartbeat" }), o.heartbeatMs ?? 5_000);
    });
    ws.on("message", (raw) => this.onMessage(String(raw)));
    ws.on("unexpected-response", (_req, res) => {
      o.log("relay: coordinator refused the connection", { status: res.statusCode });
      ws.terminate();
    });
    ws.on("error", (error) => o.log("relay: coordinator socket error", { error: String(error) }));
    ws.on("close", () => {
      o.metrics.coordinatorConnected = false;
      clearInterval(this.heartbeat);
      if (this.stopped) return;
      this.retry = setTimeout(() => void this.start(), this.backoff);
      this.backoff = Math.min(30_000, this.backoff * 2);
    });
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.retry);
    this.ws?.close(1000, "relay stopping");
  }

  /** Twitch refused the bot's login with this token: reported by its SHA-256 (the token stays here). */
  async credentialRejected(accessToken: string): Promise<void> {
    this.send({ type: "credential_rejected", token: await sha256Hex(accessToken) });
  }

  private send(message: unknown): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }

  private onMessage(raw: string): void {
    let assignment: Assignment;
    try {
      assignment = AssignmentSchema.parse(JSON.parse(raw));
    } catch (error) {
      this.opts.metrics.malformed++;
      this.opts.log("relay: malformed coordinator frame skipped", { error: String(error) });
      return;
    }
    // One at a time, in order: a later assignment must not be overtaken by an earlier one.
    this.chain = this.chain.then(async () => {
      try {
        const held = await this.opts.apply(assignment);
        this.send({ type: "applied", version: assignment.version, ...held });
      } catch (error) {
        this.opts.log("relay: applying an assignment failed", { error: String(error) });
      }
    });
  }
}
