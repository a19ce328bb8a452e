import { WorkerEntrypoint } from "cloudflare:workers";
import type { DeliveryRequest } from "../../../lib/delivery/request.ts";
import { type DeliveryResult, deliver } from "../../../lib/delivery/service.ts";
import type { DeliveryRpc } from "../../../lib/rpc.ts";
import type { Env } from "./env.ts";
import { webhooksHealth } from "./health.ts";

/**
 * The delivery service (lib/delivery/service.ts) as an RPC entrypoint: the router and identity
 * workers bind it as `DELIVERY` (`entrypoint = "DeliveryService"`). It lives here, next to the
 * Outbox objects it queues into. Reachable only through service bindings, never from the internet.
 */
export class DeliveryService extends WorkerEntrypoint<Env> implements DeliveryRpc {
  async ping(): Promise<string> {
    return "pong";
  }

  /** One message to a community's channel or person; bad input answers `invalid`, never throws. */
  async send(request: DeliveryRequest): Promise<DeliveryResult> {
    return deliver(this.env, request);
  }

  /** Only this worker's health (the router's System view); every other path is 404. */
  override async fetch(request: Request): Promise<Response> {
    return webhooksHealth.fetch(request, this.env, this.ctx);
  }
}
