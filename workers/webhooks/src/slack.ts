import * as z from "zod";
import { parseJson, readLimitedBody } from "../../../lib/http/body.ts";
import { BadRequest } from "../../../lib/http/errors.ts";
import { accept } from "./ingest.ts";
import { postOnly } from "./post-only.ts";
import { EventCallbackSchema, slackEventToChatEvent } from "./slack-events.ts";
import { interactionToChatEvent, slashCommandToChatEvent } from "./slack-interactive.ts";
import { verifySlack } from "./verify.ts";

const SLACK_BODY_LIMIT = 64 * 1024;

const UrlVerificationSchema = z.object({ type: z.literal("url_verification"), challenge: z.string().min(1).max(1000) });

/** Slack form bodies: application/x-www-form-urlencoded, as Slack sends commands and interactivity. */
function parseForm(body: string): Record<string, string> {
  if (!body) throw new BadRequest("Empty form body");
  return Object.fromEntries(new URLSearchParams(body));
}

/** `POST /slack/events`, `/slack/commands`, `/slack/interactions`: the Slack app's request URLs. */
export const slack = postOnly("/events", "/commands", "/interactions");

slack.post("/events", async (c) => {
  const body = await readLimitedBody(c.req.raw, SLACK_BODY_LIMIT);
  await verifySlack(c.env.SLACK_SIGNING_SECRET, c.req.raw.headers, body);
  const payload = parseJson(body) as { type?: unknown };
  if (payload?.type === "url_verification") {
    const { challenge } = UrlVerificationSchema.parse(payload);
    return c.text(challenge, 200, { "content-type": "text/plain" });
  }
  if (payload?.type !== "event_callback") return c.body(null, 200);
  const callback = EventCallbackSchema.parse(payload);
  const event = slackEventToChatEvent(callback);
  // Retries (X-Slack-Retry-Num) carry the same event_id: the deduplicator drops them.
  if (event) await accept(c, "slack", callback.event_id, event);
  return c.body(null, 200);
});

slack.post("/commands", async (c) => {
  const body = await readLimitedBody(c.req.raw, SLACK_BODY_LIMIT);
  const form = parseForm(body);
  // Slack's certificate probe for slash command URLs: answer 200, read nothing else.
  if (form.ssl_check === "1") return c.body(null, 200);
  await verifySlack(c.env.SLACK_SIGNING_SECRET, c.req.raw.headers, body);
  const event = slashCommandToChatEvent(form);
  // Acknowledge within 3 s with an empty 200; the reply goes to response_url from waitUntil.
  const result = await accept(c, "slack", event.id, event, "inline");
  if (result === "unknown_community") {
    return c.json({ response_type: "ephemeral", text: "This workspace is not connected to WaddleBot yet." });
  }
  return c.body(null, 200);
});

slack.post("/interactions", async (c) => {
  const body = await readLimitedBody(c.req.raw, SLACK_BODY_LIMIT);
  await verifySlack(c.env.SLACK_SIGNING_SECRET, c.req.raw.headers, body);
  const raw = parseForm(body).payload;
  if (!raw) throw new BadRequest("Missing payload");
  const payload = parseJson(raw) as { type?: unknown };
  // Other interactivity (shortcuts, view_closed, ...) is acknowledged and not handled yet.
  if (payload?.type !== "block_actions" && payload?.type !== "view_submission") return c.body(null, 200);
  const event = interactionToChatEvent(payload);
  await accept(c, "slack", event.id, event, "inline");
  // An empty 200 closes a submitted modal; for block_actions it acknowledges the click.
  return c.body(null, 200);
});
