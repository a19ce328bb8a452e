/**
 * Moderation end to end: a rule made through the admin API, a matching chat line signed as
 * Twitch signs it, and the Helix moderation calls arriving at the local fake platform.
 */
import { afterAll, describe, expect, inject, it } from "vitest";
import { fakeControl } from "../shared/fake-control.ts";
import { twitchChatNotification } from "../shared/payloads.ts";
import { twitchHeaders } from "../shared/sign.ts";

const urls = inject("urls");
const vars = inject("vars");
const fake = fakeControl(inject("fakePlatformUrl"));
const rulesUrl = `${urls.router}/api/v1/communities/${inject("demoCommunityId")}/moderation/rules`;
const auth = { authorization: `Bearer ${inject("adminApiKey")}`, "content-type": "application/json" };
const created: string[] = [];

afterAll(async () => {
  // The demo community is shared by the other e2e files: leave it without our rules.
  for (const id of created) await fetch(`${rulesUrl}/${id}`, { method: "DELETE", headers: auth });
});

describe("moderation through the running system", () => {
  it("a Twitch chat line that trips a timeout rule is deleted and its author timed out at Helix", async () => {
    // A word no other test says, so the rule touches nothing else in the demo community.
    const word = `spam${crypto.randomUUID().slice(0, 8)}`;
    const res = await fetch(rulesUrl, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({
        name: "no spam",
        matchType: "word",
        pattern: word,
        action: "timeout",
        actionConfig: { durationSec: 90 },
      }),
    });
    expect(res.status).toBe(201);
    created.push(((await res.json()) as { data: { id: string } }).data.id);

    const chatter = String(Date.now()).slice(-9);
    const messageId = crypto.randomUUID();
    const body = twitchChatNotification({
      broadcasterId: vars.DEMO_TWITCH_BROADCASTER_ID!,
      chatterId: chatter,
      login: "spammer",
      name: "Spammer",
      messageId,
      text: `cheap followers ${word}`,
    });
    const hook = await fetch(`${urls.webhooks}/twitch/eventsub`, {
      method: "POST",
      body,
      headers: await twitchHeaders(vars.TWITCH_EVENTSUB_SECRET!, body),
    });
    expect(hook.status).toBe(204);

    const deleted = await fake.waitFor(`/helix/moderation/chat?`, (r) => r.path.includes(`message_id=${messageId}`));
    expect(deleted.method).toBe("DELETE");
    expect(deleted.path).toContain(`broadcaster_id=${vars.DEMO_TWITCH_BROADCASTER_ID}`);
    const timeout = await fake.waitFor(
      "/helix/moderation/bans?",
      (r) => (r.body as { data?: { user_id?: string } }).data?.user_id === chatter,
    );
    expect(timeout.method).toBe("POST");
    expect(timeout.path).toContain(`moderator_id=${vars.TWITCH_BOT_USER_ID}`);
    expect(timeout.body).toEqual({ data: { user_id: chatter, duration: 90, reason: "WaddleBot: no spam" } });
  });
});
