/**
 * Helpers for the first-party module tests: the real router (chat events over its RPC, the
 * installations API over its HTTP), communities with modules installed through that API, and
 * chat lines in the shapes the webhooks worker gives each platform.
 */
import { env } from "cloudflare:workers";
import type { ChatEventInput, ChatUser, EventOutcome } from "../../../lib/events/chat-event.ts";
import type { RouterRpc } from "../../../lib/rpc.ts";
import { fakeControl } from "../../../test/shared/fake-control.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";

type TestEnv = typeof env & { ROUTER: Fetcher & RouterRpc };
export const router = (env as TestEnv).ROUTER;
export const fake = fakeControl(env.FAKE_PLATFORM_URL);

export type Platform = "discord" | "twitch" | "slack";
export type Community = { id: string; platformIds: Record<Platform, string> };

/** A JSON request to the router's admin API. */
export async function api<T = unknown>(method: string, path: string, authorization: string, body?: unknown) {
  const res = await router.fetch(
    new Request(`http://router.test${path}`, {
      method,
      headers: { authorization, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  const json = (await res.json()) as { success: boolean; data: T; message: string };
  return { status: res.status, ...json };
}

/** A fresh community, an admin key there, and the named first-party modules installed by the API. */
export async function communityWith(...modules: string[]) {
  const community = await createCommunity();
  const admin = await createUserWithKey({ communityId: community.id, role: "admin" });
  for (const module of modules) {
    const res = await api("POST", `/api/v1/communities/${community.id}/installations`, admin.authorization, { module });
    if (res.status !== 201) throw new Error(`installing ${module} answered ${res.status}: ${res.message}`);
  }
  return { community, authorization: admin.authorization };
}

/** Who speaks: a stable user per name, optionally a moderator or subscriber. */
export interface Speaker extends Partial<ChatUser> {
  id?: string;
  username?: string;
}
export const MOD: Speaker = { isModerator: true };

/** A chat line as the webhooks worker normalises it on each platform. */
export function line(community: Community, platform: Platform, text: string, user: Speaker = {}, channel = "c-main") {
  const base = {
    id: crypto.randomUUID(),
    platform,
    type: "message" as const,
    communityPlatformId: community.platformIds[platform],
    user: { id: `u-${crypto.randomUUID().slice(0, 8)}`, username: "penguin", roles: [], badges: [], ...user },
    text,
    data: {},
    receivedAt: new Date().toISOString(),
  };
  const shapes: Record<Platform, Pick<ChatEventInput, "channel" | "reply">> = {
    discord: { channel: { id: channel, name: "general" }, reply: { kind: "discord_channel", channelId: channel } },
    // A Twitch channel is its broadcaster.
    twitch: {
      channel: { id: community.platformIds.twitch },
      reply: { kind: "twitch", broadcasterId: community.platformIds.twitch },
    },
    slack: { channel: { id: channel }, reply: { kind: "slack", channelId: channel } },
  };
  return { ...base, ...shapes[platform] } as ChatEventInput;
}

export const send = (e: ChatEventInput | Record<string, unknown>) =>
  router.handleEvent(e as never) as Promise<EventOutcome>;
export const texts = (o: EventOutcome) => o.replies.filter((r) => r.type === "chat").map((r) => r.text);

/** Says a line and returns the bot's chat answers. */
export const say = async (community: Community, platform: Platform, text: string, user: Speaker = {}) =>
  texts(await send(line(community, platform, text, user)));

export const PLATFORMS: Platform[] = ["discord", "twitch", "slack"];
