/** Helpers for the marketplace tests: manifests, publishing and installing through the real API. */

import { env } from "cloudflare:workers";
import { createCommunity, createUserWithKey } from "../../../../test/workerd/fixtures.ts";
import { api, chat, fake, fakeUrl, send, texts } from "./router.ts";

export const uniqName = () => `mod-${crypto.randomUUID().slice(0, 8)}`;

/** A webhook module's version manifest answering `commands` at a fresh path on the fake server. */
export function webhookVersion(version: string, commands: string[], extra: Record<string, unknown> = {}) {
  const path = `/module/${crypto.randomUUID()}`;
  return {
    path,
    manifest: {
      version,
      engine: "webhook",
      config: { url: fakeUrl(path), timeoutMs: 3000 },
      commands: commands.map((name) => ({ name, description: `${name} command` })),
      ...extra,
    },
  };
}

/** A module manifest with a first version. */
export const moduleManifest = (name: string, version: object, extra: Record<string, unknown> = {}) => ({
  name,
  displayName: `The ${name}`,
  description: "Answers questions about penguins",
  categories: ["games/trivia"],
  labels: ["Fun", "penguins"],
  ...extra,
  version,
});

/** An author (a user with an email address and an API key). */
export const createAuthor = () => createUserWithKey({});

/** A community and an admin's key there. */
export async function communityWithAdmin() {
  const community = await createCommunity();
  const admin = await createUserWithKey({ communityId: community.id, role: "admin" });
  return { community, ...admin };
}

/** Publishes a webhook module with one version; the fake answers its path `times` times with `reply`. */
export async function publishWebhookModule(
  authorization: string,
  commands: string[],
  opts: { reply?: string; times?: number; name?: string; extra?: Record<string, unknown> } = {},
) {
  const name = opts.name ?? uniqName();
  const v = webhookVersion("1.0.0", commands, opts.extra);
  const res = await api("POST", "/api/v1/marketplace/modules", authorization, moduleManifest(name, v.manifest));
  if (res.status !== 201) throw new Error(`publish answered ${res.status}: ${JSON.stringify(res)}`);
  if (opts.reply)
    await fake.script({
      method: "POST",
      path: v.path,
      status: 200,
      times: opts.times ?? 10,
      body: { replies: [{ type: "chat", text: opts.reply }] },
    });
  return { name, path: v.path };
}

export const install = (communityId: string, authorization: string, body: Record<string, unknown>) =>
  api<Record<string, unknown>>("POST", `/api/v1/communities/${communityId}/installations`, authorization, body);

/** What the bot answers a chat line in the community (Discord). */
export const say = async (
  community: { id: string; platformIds: Record<"discord" | "twitch" | "slack", string> },
  text: string,
  user = {},
) => texts(await send(chat(community, text, user)));

/** The community's installation row, straight from D1. */
export const installationRow = (communityId: string) =>
  env.DB.prepare("SELECT * FROM module_installations WHERE community_id = ?")
    .bind(communityId)
    .first<Record<string, unknown>>();

/** The names in the community's command registry rows. */
export const commandRows = async (communityId: string) =>
  (
    await env.DB.prepare("SELECT name FROM commands WHERE community_id = ? ORDER BY name")
      .bind(communityId)
      .all<{ name: string }>()
  ).results.map((r) => r.name);
