import { DurableObject } from "cloudflare:workers";

/** Every Durable Object answers `ping()`, so `/health/detailed` can prove a round trip. */
export abstract class PingableObject<Env = unknown> extends DurableObject<Env> {
  async ping(): Promise<string> {
    return "pong";
  }
}
