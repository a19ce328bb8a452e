/**
 * Helpers for the router's tests: events as the webhooks worker would send them, the real
 * RPC entry, JSON calls to the admin API, modules installed straight into D1, and the fake
 * platform server standing in for module endpoints (webhook, Lambda, OpenWhisk).
 */
import { env, exports } from "cloudflare:workers";
import { createDb } from "../../../../lib/db/client.ts";
import type { ChatEventInput, ChatUser } from "../../../../lib/events/chat-event.ts";
import type { RouterRpc } from "../../../../lib/rpc.ts";
import { fakeControl } from "../../../../test/shared/fake-control.ts";
import { call } from "../../../../test/workerd/self.ts";
import { createAndInstallModule, type NewModule } from "../../src/modules/modules.repo.ts";

/** The router's RPC surface, as the webhooks worker reaches it. */
export const router = (exports as unknown as { default: RouterRpc }).default;

export const fake = fakeControl(env.FAKE_PLATFORM_URL);
export const fakeUrl = (path: string) => `${env.FAKE_PLATFORM_URL}${path}`;

type Community = { id: string; platformIds: Record<"discord" | "twitch" | "slack", string> };

/** A Discord chat message in a community (override anything). */
export function chat(
  community: Community,
  text: string,
  user: Partial<ChatUser> = {},
  over: Partial<ChatEventInput> = {},
): ChatEventInput {
  return {
    id: crypto.randomUUID(),
    platform: "discord",
    type: "message",
    communityPlatformId: community.platformIds.discord,
    channel: { id: "c-general", name: "general" },
    user: { id: `u-${crypto.randomUUID().slice(0, 8)}`, username: "penguin", roles: [], badges: [], ...user },
    text,
    data: {},
    reply: { kind: "discord_channel", channelId: "c-general" },
    receivedAt: new Date().toISOString(),
    ...over,
  };
}

/** Sends an event through RPC handleEvent. */
export const send = (e: ChatEventInput) => router.handleEvent(e as never);

/** The chat texts of an outcome. */
export const texts = (o: { replies: { type: string; text?: string }[] }) =>
  o.replies.filter((r) => r.type === "chat").map((r) => r.text);

/** A JSON request to the admin API. */
export async function api<T = unknown>(method: string, path: string, authorization: string, body?: unknown) {
  const res = await call(path, {
    method,
    headers: { authorization, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as { success: boolean; data: T; message: string };
  return { status: res.status, headers: res.headers, ...json };
}

/** Registers a module and installs it in the community. */
export async function installModule(communityId: string, values: Omit<NewModule, "name"> & { name?: string }) {
  return createAndInstallModule(env, createDb(env.DB), communityId, {
    name: `mod-${crypto.randomUUID().slice(0, 8)}`,
    ...values,
  });
}

export const SECRET = "module-secret-0123456789abcdef";

/** A unique path on the fake server, and a webhook module config pointing at it. */
export function webhookAt(timeoutMs?: number) {
  const path = `/module/${crypto.randomUUID()}`;
  return { path, config: { url: fakeUrl(path), secret: SECRET, ...(timeoutMs ? { timeoutMs } : {}) } };
}
