/** Helpers for the identity-linking tests: chat accounts and codes captured from the fake. */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { hashPassword } from "../../../lib/crypto/password.ts";
import { createDb } from "../../../lib/db/client.ts";
import { users } from "../../../lib/db/schema/index.ts";
import type { ChatIdentity } from "../../../lib/rpc.ts";
import { fakeControl } from "../../../test/shared/fake-control.ts";

export const fake = fakeControl(env.FAKE_PLATFORM_URL);

let seq = 0;
/** A fresh chat account on a platform (ids unique per test run). */
export function chatUser(platform: ChatIdentity["platform"], username?: string): ChatIdentity {
  seq++;
  const n = `${Date.now() % 1e9}${seq}${Math.floor(Math.random() * 1000)}`;
  const platformUserId =
    platform === "discord" ? `3${n.padEnd(17, "0")}` : platform === "slack" ? `U${n}` : `5${n}`.slice(0, 12);
  return { platform, platformUserId, username: username ?? `${platform}user${n}` };
}

/** The code in the newest DM the fake Discord received for a user (the DM channel is `dm-<id>`). */
export async function discordCodeFor(userId: string): Promise<string> {
  const req = await fake.waitFor(`/discord/channels/dm-${userId}/messages`);
  const all = await fake.requests(`/discord/channels/dm-${userId}/messages`);
  const last = all.at(-1) ?? req;
  return extractCode((last.body as { content: string }).content);
}

/** The code in the newest whisper the fake Helix received for a Twitch user. */
export async function twitchCodeFor(userId: string): Promise<string> {
  await fake.waitFor(`to_user_id=${userId}`);
  const last = (await fake.requests(`to_user_id=${userId}`)).at(-1)!;
  return extractCode((last.body as { message: string }).message);
}

function extractCode(text: string): string {
  const m = text.match(/code is ([A-Z0-9]{6})\b/);
  if (!m) throw new Error(`no code in: ${text}`);
  return m[1]!;
}

/** A code that is certainly wrong: same alphabet, different from `code`. */
export const wrongCode = (code: string) => (code === "222222" ? "333333" : "222222");

/** Gives an existing (chat) user an email and password, as a portal account; returns them. */
export async function withPortalLogin(userId: string) {
  const email = `owner-${crypto.randomUUID().slice(0, 8)}@waddlebot.test`;
  const password = `pw-${crypto.randomUUID()}`;
  await createDb(env.DB)
    .update(users)
    .set({ email, passwordHash: await hashPassword(password) })
    .where(eq(users.id, userId));
  return { id: userId, email, password };
}
