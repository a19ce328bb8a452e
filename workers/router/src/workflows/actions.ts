import { NonRetryableError } from "cloudflare:workflows";
import { eq } from "drizzle-orm";
import { ZodError } from "zod";
import { createDb } from "../../../../lib/db/client.ts";
import type { Platform } from "../../../../lib/db/schema/index.ts";
import { modules } from "../../../../lib/db/schema/index.ts";
import type { ChatEvent } from "../../../../lib/events/chat-event.ts";
import { OutboundError, safeFetch } from "../../../../lib/outbound/safe-fetch.ts";
import { outboundPolicy } from "../../../../lib/outbound/url-guard.ts";
import type { Env } from "../env.ts";
import { liveEvent } from "../events/routed-event.ts";
import { isInstalled, toModuleDef } from "../modules/modules.repo.ts";
import { runModule } from "../modules/run.ts";
import { publishOverlay } from "../overlays/publish.ts";
import { type RunData, resolve, resolveText } from "./expr.ts";
import { openHeaders } from "./graph-secrets.ts";
import { sendChat } from "./send-chat.ts";
import type { RunParams } from "./types.ts";

/** The platform event behind a command/event trigger, when there is one. */
const triggerEvent = (p: RunParams) => (p.trigger.data.event ?? null) as ChatEvent | null;

/** Where the triggering event's replies go: platform and channel (Twitch: broadcaster). */
function triggerChannel(p: RunParams): { platform: Platform; channel: string } | null {
  const event = triggerEvent(p);
  if (!event) return null;
  const r = event.reply;
  if (r.kind === "twitch") return { platform: "twitch", channel: r.broadcasterId };
  if (r.kind === "slack" || r.kind === "discord_channel") return { platform: event.platform, channel: r.channelId };
  return { platform: event.platform, channel: event.channel.id };
}

/**
 * The side-effecting nodes. A throw fails the attempt and Workflows retries the step within
 * its policy; a NonRetryableError (a config the data made invalid) fails at once.
 */
export async function runAction(
  env: Env,
  p: RunParams,
  type: "action_module" | "action_webhook" | "action_chat_message" | "action_browser_source",
  config: Record<string, unknown>,
  data: RunData,
  ctx: ExecutionContext,
  /** The node's id: its sealed header values are bound to it. */
  node: string,
): Promise<unknown> {
  switch (type) {
    case "action_chat_message": {
      const c = config as { platform: string; channel: string; message: string };
      const here = triggerChannel(p);
      const platform = (c.platform === "trigger" ? here?.platform : c.platform) as Platform | undefined;
      const channel =
        resolveText(c.channel, data) ||
        (c.platform === "trigger" || c.platform === here?.platform ? here?.channel : "");
      if (!platform) throw new NonRetryableError("chat message: this trigger has no platform; choose one");
      const message = resolveText(c.message, data);
      await sendChat(env, { communityId: p.communityId, platform, channel: channel ?? "", message });
      return { platform, channel, message };
    }
    case "action_browser_source": {
      const c = config as { overlay: "ticker" | "media" | "general"; data: Record<string, string> };
      try {
        const published = await publishOverlay(env, p.communityId, c.overlay, resolve(c.data, data));
        return { overlay: c.overlay, seq: (published as { seq?: number }).seq ?? null };
      } catch (err) {
        if (err instanceof ZodError) throw new NonRetryableError(`overlay data invalid: ${err.issues[0]?.message}`);
        throw err;
      }
    }
    case "action_webhook": {
      const c = config as {
        url: string;
        method: string;
        headers: Record<string, string>;
        body?: string;
        timeoutSeconds: number;
      };
      const url = resolveText(c.url, data);
      // Opened here, inside the node's step, and never returned or traced (interpreter.ts redacts them).
      const clear = await openHeaders(env, p.workflowId, node, c.headers);
      const headers = resolve(clear, data) as Record<string, string>;
      const body = c.body !== undefined && c.method !== "GET" ? resolveText(c.body, data) : undefined;
      try {
        const res = await safeFetch(
          new Request(url, { method: c.method, headers: { "user-agent": "WaddleBot-Workflows/1", ...headers }, body }),
          { policy: outboundPolicy(env), timeoutMs: c.timeoutSeconds * 1000, maxBytes: 64 * 1024 },
        );
        if (!res.ok) throw new Error(`the endpoint answered ${res.status}`);
        let parsed: unknown = res.body;
        try {
          parsed = JSON.parse(res.body);
        } catch {}
        return { status: res.status, body: parsed };
      } catch (err) {
        if (err instanceof OutboundError && err.kind === "refused") throw new NonRetryableError(err.message);
        throw err;
      }
    }
    case "action_module": {
      const c = config as { moduleId: string; command: string; args: string[] };
      const db = createDb(env.DB);
      if (!(await isInstalled(db, p.communityId, c.moduleId))) throw new NonRetryableError("module not installed");
      const row = await db.select().from(modules).where(eq(modules.id, c.moduleId)).get();
      const mod = row && (await toModuleDef(env, row));
      if (!mod) throw new NonRetryableError("module config invalid");
      const event = triggerEvent(p) ?? syntheticEvent(p);
      const args = c.args.map((a) => resolveText(a, data));
      const run = await runModule(env, ctx, mod, p.communityId, liveEvent(event), {
        command: { prefix: "!", name: c.command, args, rawArgs: args.join(" ") },
        level: String((p.trigger.data.user as { level?: string } | undefined)?.level ?? "everyone"),
      });
      if (run.status !== "success") throw new Error(`module ${mod.name}: ${run.error ?? run.status}`);
      const here = triggerChannel(p);
      const chat = run.replies.filter((r) => r.type === "chat");
      if (here) for (const r of chat) await sendChat(env, { communityId: p.communityId, ...here, message: r.text });
      return { replies: run.replies };
    }
  }
}

/** A module called from a schedule or webhook run gets an event that says where it came from. */
function syntheticEvent(p: RunParams): ChatEvent {
  return {
    id: `wf:${p.executionId}`,
    platform: "discord",
    type: "message",
    communityPlatformId: p.communityId,
    channel: { id: "" },
    user: { id: `workflow:${p.workflowId}`, username: "workflow", roles: [], badges: [] },
    data: { workflow: p.workflowId, trigger: p.trigger.kind },
    reply: { kind: "none" },
    receivedAt: new Date().toISOString(),
  };
}
