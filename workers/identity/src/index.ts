import { WorkerEntrypoint } from "cloudflare:workers";
import type { Credentials } from "../../../lib/auth/hono.ts";
import type { Permission, Principal } from "../../../lib/auth/permissions.ts";
import { isSimulatedUserId, SIMULATED_IDENTITY_REFUSAL } from "../../../lib/events/simulated.ts";
import type { ChatIdentity, IdentityRpc, LinkReply } from "../../../lib/rpc.ts";
import { app, openapiDocument } from "./app.ts";
import { type AuthResult, authenticate, authenticateDetailed } from "./auth/authenticate.ts";
import { authorize } from "./auth/authorize.ts";
import type { Env } from "./env.ts";
import * as chat from "./linking/chat.ts";

export { RateLimiter } from "../../../durable-objects/rate-limiter.ts";

/**
 * Defence in depth: the router already refuses identity built-ins in simulation, but no caller
 * of this RPC may link, verify or create a platform user for an id of the simulated namespace.
 */
const SIMULATED: LinkReply = { ok: false, message: SIMULATED_IDENTITY_REFUSAL };
const simulated = (from: ChatIdentity) => isSimulatedUserId(String(from?.platformUserId ?? ""));

/** The identity worker: HTTP for login and the identity API, RPC for the other workers. */
export default class Identity extends WorkerEntrypoint<Env> implements IdentityRpc {
  override fetch(request: Request): Response | Promise<Response> {
    return app.fetch(request, this.env, this.ctx);
  }

  async ping(): Promise<string> {
    return "pong";
  }

  /** Who is calling (session cookie, with CSRF for writes; or API key), or null. */
  async authenticate(credentials: Credentials): Promise<Principal | null> {
    return authenticate(this.env, credentials, this.ctx);
  }

  /** Like authenticate, but says why there is no principal ("csrf" deserves a 403, not a 401). */
  async authenticateDetailed(credentials: Credentials): Promise<AuthResult> {
    return authenticateDetailed(this.env, credentials, this.ctx);
  }

  /** May this principal do `permission` in this community? Denials are audited. */
  async authorize(principal: Principal, communityId: string, permission: Permission, requestId?: string | null) {
    return authorize(this.env, principal, communityId, permission, requestId);
  }

  /** `!identity link <platform> <username>`: a code goes by whisper/DM to that account. */
  async startLink(
    from: ChatIdentity,
    target: { platform: ChatIdentity["platform"]; username: string },
    context?: { community?: string },
  ) {
    if (simulated(from) || isSimulatedUserId(String(target?.username ?? ""))) return SIMULATED;
    return chat.startLink(this.env, from, target, context);
  }

  /** `!verify <CODE>` from the identity that asked (see linking/link-policy.ts for what it may link). */
  async verifyLink(from: ChatIdentity, code: string): Promise<LinkReply> {
    if (simulated(from)) return SIMULATED;
    return chat.verifyLink(this.env, from, code);
  }

  /** `!identity unlink <platform>`. */
  async unlink(from: ChatIdentity, platform: ChatIdentity["platform"]): Promise<LinkReply> {
    if (simulated(from)) return SIMULATED;
    return chat.unlink(this.env, from, platform);
  }

  /** `!identity`: the caller's linked accounts. */
  async listLinks(from: ChatIdentity): Promise<LinkReply> {
    if (simulated(from)) return SIMULATED;
    return chat.listLinks(this.env, from);
  }

  /** Identity's OpenAPI document, for the router to merge into /api/v1/openapi.json. */
  async openapiDocument(): Promise<Record<string, unknown>> {
    return openapiDocument();
  }
}
