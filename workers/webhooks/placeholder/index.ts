/**
 * Uploaded once, on an instance's very first deploy, under the webhooks worker's name, so the
 * router's and identity's DELIVERY bindings and the router's OUTBOX binding have a target
 * (scripts/deploy.ts explains the cycle). The real webhooks worker replaces it minutes later in
 * the same deploy; until then every call fails, so queued events are retried, not lost.
 */
import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";

const deploying = () => new Error("the webhooks worker is still being deployed");

export class DeliveryService extends WorkerEntrypoint {
  async send(): Promise<never> {
    throw deploying();
  }
}

/** Stand-ins for the real worker's Durable Object classes (the same names and migrations). */
export class Outbox extends DurableObject {
  async enqueue(): Promise<never> {
    throw deploying();
  }
}
export class Deduplicator extends DurableObject {}
export class RelayCoordinator extends DurableObject {}

export default {
  fetch: () => new Response("deploying", { status: 503 }),
};
