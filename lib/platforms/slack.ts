import { apiBase, type PlatformConfig } from "../config.ts";
import { PlatformError, platformFetch, retryAfterHeader } from "./http.ts";

export interface SlackMessage {
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  /** For response_url: "ephemeral" (default) or "in_channel". */
  response_type?: "ephemeral" | "in_channel";
  replace_original?: boolean;
}

/**
 * Slack's control sequences are `<…>` (`<!channel>`, `<!here>`, `<!everyone>`, `<@U…>`,
 * `<#C…>`, `<!subteam^…>`, links): escaping `&`, `<` and `>` turns them into plain text, so a
 * user's words or a template variable never ping anyone.
 * https://api.slack.com/reference/surfaces/formatting#escaping
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Messages leave with their text escaped; blocks come from slackBlocks, which escapes too. */
const escaped = (msg: SlackMessage): SlackMessage => ({ ...msg, text: escapeSlack(msg.text) });

/** Calls a Slack Web API method. Slack answers 200 with `ok: false` on errors. */
export async function slackApi(env: PlatformConfig, method: string, payload: Record<string, unknown>) {
  if (!env.SLACK_BOT_TOKEN) throw new PlatformError("slack", 0, "SLACK_BOT_TOKEN is not set");
  const res = await platformFetch("slack", `${apiBase(env, "SLACK_API_BASE")}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8", authorization: `Bearer ${env.SLACK_BOT_TOKEN}` },
    body: JSON.stringify(payload),
  });
  if (res.status === 429) throw new PlatformError("slack", 429, "rate limited by Slack", retryAfterHeader(res.headers));
  const body = res.body as { ok?: boolean; error?: string } | undefined;
  if (res.status >= 400 || !body?.ok) {
    throw new PlatformError(
      "slack",
      res.status >= 400 ? res.status : 400,
      `Slack ${method}: ${body?.error ?? res.status}`,
      undefined,
      body?.error,
    );
  }
  return body as Record<string, unknown>;
}

/** chat.postMessage into a channel (or a thread). */
export function postMessage(env: PlatformConfig, channel: string, msg: SlackMessage) {
  return slackApi(env, "chat.postMessage", { channel, ...escaped(msg) });
}

/**
 * chat.delete. A bot token may delete only the bot's own messages; deleting a member's needs
 * a user token of a workspace admin (Slack answers `cant_delete_message` otherwise), so the
 * caller treats that answer as a refusal, not an outage. https://api.slack.com/methods/chat.delete
 */
export function deleteMessage(env: PlatformConfig, channel: string, ts: string) {
  return slackApi(env, "chat.delete", { channel, ts });
}

/** Answers a slash command or interaction through its response_url (valid 30 min, 5 uses). */
export async function postToResponseUrl(responseUrl: string, msg: SlackMessage) {
  const res = await platformFetch("slack", responseUrl, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify(escaped(msg)),
  });
  if (res.status >= 400) throw new PlatformError("slack", res.status, `response_url answered ${res.status}`);
}

/** A direct message: conversations.open, then chat.postMessage. */
export async function sendDirectMessage(env: PlatformConfig, userId: string, msg: SlackMessage) {
  const opened = (await slackApi(env, "conversations.open", { users: userId })) as { channel?: { id?: string } };
  const channel = opened.channel?.id;
  if (!channel) throw new PlatformError("slack", 502, "Slack did not return a DM channel");
  return postMessage(env, channel, msg);
}

/** A reply as Block Kit: one mrkdwn section (a section's text is capped at 3000 characters), escaped. */
export function slackBlocks(text: string): unknown[] {
  // Escape first, then cut (never inside an entity such as &amp;).
  const safe = escapeSlack(text);
  const cut = safe.length <= 3000 ? safe : safe.slice(0, 3000).replace(/&[a-z]{0,3}$/, "");
  return [{ type: "section", text: { type: "mrkdwn", text: cut } }];
}
