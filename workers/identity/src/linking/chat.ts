import * as z from "zod";
import { recordAudit } from "../../../../lib/audit.ts";
import { PLATFORMS, type Platform } from "../../../../lib/db/schema/index.ts";
import { HttpError } from "../../../../lib/http/errors.ts";
import { ensurePlatformUser } from "../../../../lib/identity/platform-users.ts";
import type { ChatIdentity, LinkReply } from "../../../../lib/rpc.ts";
import type { Env } from "../env.ts";
import { detachIdentity } from "./detach.ts";
import { requestLinkCode } from "./link.service.ts";
import { identitiesOf, latestChatCodeOf } from "./linking.repo.ts";
import { redeemCode } from "./redeem.ts";
import { PLATFORM_LABEL } from "./resolve.ts";

/**
 * The chat side of identity linking, called by the router over RPC for `!identity …` and
 * `!verify`. Every function answers with the text the bot should say; none throws for bad
 * input (a chat command never becomes a 500).
 */
const ChatIdentitySchema = z.object({
  platform: z.enum(PLATFORMS),
  platformUserId: z.string().trim().min(1).max(64),
  username: z.string().trim().max(100),
});
const PlatformSchema = z.enum(PLATFORMS);

const USAGE = "Usage: !identity link <discord|twitch|slack> <username>";

function parseFrom(from: unknown): ChatIdentity | null {
  const parsed = ChatIdentitySchema.safeParse(from);
  return parsed.success ? parsed.data : null;
}

async function userOf(env: Env, from: ChatIdentity): Promise<string> {
  return ensurePlatformUser(env.DB, from.platform, from.platformUserId, from.username);
}

/** Where the request was typed ("twitch:<broadcaster id>"), for the per-community limit. */
const ContextSchema = z.object({ community: z.string().max(100).optional() }).default({});

export async function startLink(
  env: Env,
  fromInput: unknown,
  targetInput: unknown,
  contextInput?: unknown,
): Promise<LinkReply> {
  const from = parseFrom(fromInput);
  const target = z.object({ platform: PlatformSchema, username: z.string().max(100) }).safeParse(targetInput);
  const context = ContextSchema.safeParse(contextInput);
  if (!from || !target.success || !context.success) return { ok: false, message: USAGE };
  if (target.data.platform === from.platform) {
    return { ok: false, message: `You are on ${PLATFORM_LABEL[from.platform]} already: pick another platform.` };
  }
  const userId = await userOf(env, from);
  const requester = {
    userId,
    name: from.username || from.platformUserId,
    via: PLATFORM_LABEL[from.platform],
    identity: { platform: from.platform, platformUserId: from.platformUserId },
  };
  const result = await requestLinkCode(env, requester, "chat", target.data, context.data);
  return { ok: result.ok, message: result.message };
}

export async function verifyLink(env: Env, fromInput: unknown, code: unknown): Promise<LinkReply> {
  const from = parseFrom(fromInput);
  if (!from || typeof code !== "string" || code.length > 32) return { ok: false, message: "Usage: !verify <CODE>" };
  const userId = await userOf(env, from);
  // Only the identity that asked may answer: the code proves it can read the target's DMs.
  const row = await latestChatCodeOf(env.DB, from.platform, from.platformUserId);
  try {
    const typedBy = { platform: from.platform, username: from.username || from.platformUserId };
    const result = await redeemCode(env, row, code, { actorId: userId, typedBy });
    if (!result.ok) return { ok: false, message: result.message };
    if (result.status === "pending") return { ok: true, message: result.message };
  } catch (err) {
    if (err instanceof HttpError) return { ok: false, message: err.message };
    throw err;
  }
  const links = await identitiesOf(env.DB, await userOf(env, from));
  return { ok: true, message: `Linked! One WaddleBot account now: ${describe(links)}. Points were merged.` };
}

export async function unlink(env: Env, fromInput: unknown, platformInput: unknown): Promise<LinkReply> {
  const from = parseFrom(fromInput);
  const platform = PlatformSchema.safeParse(platformInput);
  if (!from || !platform.success) return { ok: false, message: "Usage: !identity unlink <discord|twitch|slack>" };
  const userId = await userOf(env, from);
  const victims = (await identitiesOf(env.DB, userId)).filter(
    (i) => i.platform === platform.data && !(i.platform === from.platform && i.platformUserId === from.platformUserId),
  );
  if (victims.length === 0) {
    const hint = platform.data === from.platform ? " (you cannot unlink the account you are typing from)" : "";
    return { ok: false, message: `No other ${PLATFORM_LABEL[platform.data]} account is linked${hint}.` };
  }
  for (const identity of victims) await detachIdentity(env.DB, identity);
  await recordAudit(env.DB, {
    requestId: null,
    actorType: "user",
    actorId: userId,
    action: "identity.unlink",
    targetType: "identity",
    targetId: victims.map((v) => `${v.platform}:${v.platformUserId}`).join(","),
    outcome: "success",
  });
  return {
    ok: true,
    message: `Unlinked ${victims.map((v) => v.username).join(", ")} on ${PLATFORM_LABEL[platform.data]}.`,
  };
}

export async function listLinks(env: Env, fromInput: unknown): Promise<LinkReply> {
  const from = parseFrom(fromInput);
  if (!from) return { ok: false, message: "Usage: !identity" };
  const links = await identitiesOf(env.DB, await userOf(env, from));
  if (links.length <= 1) {
    return { ok: true, message: `Only this ${PLATFORM_LABEL[from.platform]} account so far. ${USAGE}` };
  }
  return { ok: true, message: `Your linked accounts: ${describe(links)}.` };
}

function describe(links: { platform: Platform; username: string }[]): string {
  return links.map((l) => `${PLATFORM_LABEL[l.platform]} ${l.username}`).join(", ");
}
