/**
 * Uploaded once, on an instance's very first deploy, under the webhooks worker's name, so the
 * router's and identity's DELIVERY bindings have a target (scripts/deploy.ts explains the cycle).
 * The real webhooks worker replaces it minutes later in the same deploy.
 */
import { WorkerEntrypoint } from "cloudflare:workers";

export class DeliveryService extends WorkerEntrypoint {
  async send(): Promise<never> {
    throw new Error("the webhooks worker is still being deployed");
  }
}

export default {
  fetch: () => new Response("deploying", { status: 503 }),
};
