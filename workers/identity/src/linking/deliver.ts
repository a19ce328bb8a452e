import type { Platform } from "../../../../lib/db/schema/index.ts";
import * as discord from "../../../../lib/platforms/discord.ts";
import * as slack from "../../../../lib/platforms/slack.ts";
import { sendWhisper } from "../../../../lib/platforms/twitch.ts";
import type { Env } from "../env.ts";
import { PLATFORM_LABEL } from "./resolve.ts";

/**
 * Sends a link code privately on the target platform: Twitch whisper (Helix), Discord DM,
 * Slack DM. The code is in the message and nowhere else: never in a log line.
 */
export async function deliverCode(
  env: Env,
  target: { platform: Platform; platformUserId: string },
  code: string,
  how: { channel: "chat" | "portal"; requester: string },
): Promise<void> {
  const where = PLATFORM_LABEL[target.platform];
  const action =
    how.channel === "chat"
      ? `type !verify ${code} in a ${where} chat where WaddleBot is`
      : "enter it in the WaddleBot portal";
  const text =
    `Your WaddleBot link code is ${code}. To link this ${where} account with ${how.requester}, ${action} ` +
    "within 10 minutes. If you did not ask for this, ignore this message.";
  if (target.platform === "twitch") await sendWhisper(env, target.platformUserId, text);
  else if (target.platform === "discord")
    await discord.sendDirectMessage(env, target.platformUserId, { content: text });
  else await slack.sendDirectMessage(env, target.platformUserId, { text });
}
