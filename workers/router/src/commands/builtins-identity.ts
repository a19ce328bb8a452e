import { type ChatIdentity, type IdentityBinding, released } from "../../../../lib/rpc.ts";
import type { Builtin, BuiltinContext } from "./builtins.ts";

const PLATFORMS = ["discord", "twitch", "slack"] as const;
type Platform = (typeof PLATFORMS)[number];
const isPlatform = (p: string | undefined): p is Platform => PLATFORMS.includes(p as Platform);

const USAGE = "Usage: !identity link <discord|twitch|slack> <username> · !identity unlink <platform> · !identity";

function caller(ctx: BuiltinContext): ChatIdentity {
  const { platform, user } = ctx.event;
  return { platform, platformUserId: user.id, username: user.username };
}

/** The answer the identity worker words for the user, as a chat reply. */
async function say(reply: Promise<{ message: string }>) {
  return [{ type: "chat" as const, text: released(await reply).message }];
}

/**
 * Cross-platform identity linking in chat. The logic (codes, DMs, merging users) lives in the
 * identity worker; these built-ins only parse the line and relay the answer.
 */
export function identityBuiltins(identity: (ctx: BuiltinContext) => IdentityBinding): Record<string, Builtin> {
  return {
    identity: {
      description: "Links your accounts across platforms: !identity link <platform> <username>",
      minLevel: "everyone",
      // Links accounts: a simulated user must never own or join one.
      inSimulation: "refuse",
      run: (ctx) => {
        const [sub, platform, username] = ctx.args;
        const from = caller(ctx);
        const rpc = identity(ctx);
        if (!sub) return say(rpc.listLinks(from));
        if (sub.toLowerCase() === "link" && isPlatform(platform?.toLowerCase()) && username) {
          // The community key feeds the identity worker's per-community DM-flood limit.
          const community = `${ctx.event.platform}:${ctx.event.communityPlatformId}`;
          return say(rpc.startLink(from, { platform: platform.toLowerCase() as Platform, username }, { community }));
        }
        if (sub.toLowerCase() === "unlink" && isPlatform(platform?.toLowerCase())) {
          return say(rpc.unlink(from, platform.toLowerCase() as Platform));
        }
        return [{ type: "chat", text: USAGE }];
      },
    },
    verify: {
      description: "Confirms a link with the code sent to your other account: !verify <CODE>",
      minLevel: "everyone",
      // Links accounts: a simulated user must never own or join one.
      inSimulation: "refuse",
      run: (ctx) => {
        const code = ctx.args[0];
        if (!code) return [{ type: "chat", text: "Usage: !verify <CODE>" }];
        return say(identity(ctx).verifyLink(caller(ctx), code));
      },
    },
  };
}
