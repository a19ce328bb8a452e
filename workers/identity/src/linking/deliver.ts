import { slackBotToken, twitchBotAuth } from "../../../../lib/connections/tokens.ts";
import type { Platform } from "../../../../lib/db/schema/index.ts";
import * as discord from "../../../../lib/platforms/discord.ts";
import * as slack from "../../../../lib/platforms/slack.ts";
import { sendWhisper } from "../../../../lib/platforms/twitch.ts";
import type { Env } from "../env.ts";
import type { Requester } from "./link.service.ts";
import { PLATFORM_LABEL } from "./resolve.ts";

/**
 * Sends a link code privately on the target platform: Twitch whisper (Helix), Discord DM,
 * Slack DM. The code is in the message and nowhere else: never in a log line. The text says
 * who asked and from where, and that the code is to be typed by the asker, never shared:
 * someone who did not ask ignores it, and a code that leaks still cannot reach an account
 * with a login (link-policy.ts).
 */
export async function deliverCode(
  env: Env,
  target: { platform: Platform; platformUserId: string },
  code: string,
  how: { channel: "chat" | "portal"; requester: Requester },
): Promise<void> {
  const where = PLATFORM_LABEL[target.platform];
  const who = `${how.requester.name} (${how.requester.via})`;
  const action =
    how.channel === "chat"
      ? `If that was you, type !verify ${code} as ${how.requester.name} on ${how.requester.via}`
      : "If that was you, enter it in the WaddleBot portal";
  const text =
    `${who} asked to link this ${where} account to their WaddleBot account. Your WaddleBot link code is ${code}. ` +
    `${action} within 10 minutes. Ignore this if it wasn't you; never share this code.`;
  // Whispers come from the instance's bot account (its user token). A Slack DM needs the member's
  // workspace token; the link flow does not know the workspace, so only the local demo token
  // works here until link codes go through the delivery service with a community.
  if (target.platform === "twitch") await sendWhisper(env, target.platformUserId, text, await twitchBotAuth(env));
  else if (target.platform === "discord")
    await discord.sendDirectMessage(env, target.platformUserId, { content: text });
  else await slack.sendDirectMessage(env, await slackBotToken(env, null), target.platformUserId, { text });
}
