import { apiBase, type PlatformConfig } from "../config.ts";
import { PlatformError, platformFetch, retryAfterHeader } from "./http.ts";

interface SlackMessage {
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

/**
 * Calls a Slack Web API method with a workspace's bot token (one per workspace: the caller
 * resolves it, lib/connections/tokens.ts `slackBotToken`). Slack answers 200 with `ok: false` on errors.
 */
export async function slackApi(
  env: PlatformConfig,
  token: string | undefined,
  method: string,
  payload: Record<string, unknown>,
  encoding: "json" | "form" = "json",
) {
  if (!token) throw new PlatformError("slack", 0, "no Slack bot token for this workspace");
  // Read methods (users.info) take form fields only; write methods take JSON.
  const encoded =
    encoding === "json"
      ? JSON.stringify(payload)
      : new URLSearchParams(Object.entries(payload).map(([k, v]) => [k, String(v)])).toString();
  const type = encoding === "json" ? "application/json; charset=utf-8" : "application/x-www-form-urlencoded";
  const res = await platformFetch("slack", `${apiBase(env, "SLACK_API_BASE")}/${method}`, {
    method: "POST",
    headers: { "content-type": type, authorization: `Bearer ${token}` },
    body: encoded,
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
export function postMessage(env: PlatformConfig, token: string, channel: string, msg: SlackMessage) {
  return slackApi(env, token, "chat.postMessage", { channel, ...escaped(msg) });
}

/**
 * chat.delete. A bot token may delete only the bot's own messages; deleting a member's needs
 * a user token of a workspace admin (Slack answers `cant_delete_message` otherwise), so the
 * caller treats that answer as a refusal, not an outage. https://api.slack.com/methods/chat.delete
 */
export function deleteMessage(env: PlatformConfig, token: string, channel: string, ts: string) {
  return slackApi(env, token, "chat.delete", { channel, ts });
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
export async function sendDirectMessage(env: PlatformConfig, token: string, userId: string, msg: SlackMessage) {
  const opened = (await slackApi(env, token, "conversations.open", { users: userId })) as {
    channel?: { id?: string };
  };
  const channel = opened.channel?.id;
  if (!channel) throw new PlatformError("slack", 502, "Slack did not return a DM channel");
  return postMessage(env, token, channel, msg);
}

/** A workspace member as users.info describes them (https://api.slack.com/methods/users.info). */
export interface SlackMember {
  id: string;
  displayName: string;
  isPrimaryOwner: boolean;
  isOwner: boolean;
  isAdmin: boolean;
}

/** users.info (scope users:read): the member's display name and workspace role. */
export async function usersInfo(env: PlatformConfig, token: string, userId: string): Promise<SlackMember> {
  const body = (await slackApi(env, token, "users.info", { user: userId }, "form")) as {
    user?: {
      id?: string;
      name?: string;
      real_name?: string;
      is_primary_owner?: boolean;
      is_owner?: boolean;
      is_admin?: boolean;
      profile?: { display_name?: string; real_name?: string };
    };
  };
  const u = body.user;
  if (!u) throw new PlatformError("slack", 502, "Slack users.info returned no user");
  return {
    id: u.id ?? userId,
    // Slack's own order: the display name a member chose, else their real name, else the handle.
    displayName: u.profile?.display_name || u.profile?.real_name || u.real_name || u.name || userId,
    isPrimaryOwner: u.is_primary_owner === true,
    isOwner: u.is_owner === true,
    isAdmin: u.is_admin === true,
  };
}

/** A reply as Block Kit: one mrkdwn section (a section's text is capped at 3000 characters), escaped. */
export function slackBlocks(text: string): unknown[] {
  // Escape first, then cut (never inside an entity such as &amp;).
  const safe = escapeSlack(text);
  const cut = safe.length <= 3000 ? safe : safe.slice(0, 3000).replace(/&[a-z]{0,3}$/, "");
  return [{ type: "section", text: { type: "mrkdwn", text: cut } }];
}
