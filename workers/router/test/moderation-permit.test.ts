import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { auditLog, moderationPermits } from "../../../lib/db/schema/index.ts";
import type { ChatEventInput } from "../../../lib/events/chat-event.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { PERMIT_USAGE, permitTarget } from "../src/moderation/permits.ts";
import { api, chat, send, texts } from "./support/router.ts";

type Community = Awaited<ReturnType<typeof createCommunity>>;
const db = () => createDb(env.DB);

async function linkFilter(options: Record<string, unknown> = {}) {
  const community = await createCommunity();
  const { authorization } = await createUserWithKey({ communityId: community.id, role: "admin" });
  const res = await api("POST", `/api/v1/communities/${community.id}/moderation/rules`, authorization, {
    name: "no links",
    matchType: "links",
    action: "delete",
    options: { allowedDomains: ["twitch.tv"], ...options },
  });
  expect(res.status, JSON.stringify(res)).toBe(201);
  return { community, authorization };
}

const permits = (communityId: string) =>
  db().select().from(moderationPermits).where(eq(moderationPermits.communityId, communityId));

/** A chat line on Twitch (IRC shape: badges carry the level) or Slack (the admin flag). */
function twitch(c: Community, text: string, user: { id: string; username: string; badges?: string[] }) {
  return chat(
    c,
    text,
    { roles: [], badges: [], ...user },
    {
      platform: "twitch",
      communityPlatformId: c.platformIds.twitch,
      channel: { id: c.platformIds.twitch, name: "streamer" },
      reply: { kind: "twitch", broadcasterId: c.platformIds.twitch },
    },
  );
}
function slack(c: Community, text: string, user: { id: string; username: string; isAdmin?: boolean }): ChatEventInput {
  return chat(c, text, user, {
    platform: "slack",
    communityPlatformId: c.platformIds.slack,
    channel: { id: "C0GENERAL", name: "general" },
    reply: { kind: "slack", channelId: "C0GENERAL" },
  });
}

describe("!permit <user> [seconds]: a moderator lets a user past the link filter", () => {
  it("a one-link permit passes a link that two links filters catch, once", async () => {
    const { community, authorization } = await linkFilter();
    const second = await api("POST", `/api/v1/communities/${community.id}/moderation/rules`, authorization, {
      name: "no links either",
      matchType: "links",
      action: "delete",
      options: { allowedDomains: [] },
    });
    expect(second.status, JSON.stringify(second)).toBe(201);
    const viewer = { id: "200000000000000009", username: "viewer" };
    await send(chat(community, `!permit <@${viewer.id}>`, { id: "m9", isModerator: true }));
    expect((await send(chat(community, "see https://evil.example.com", viewer))).status).toBe("ignored");
    expect((await send(chat(community, "see https://evil.example.com", viewer))).status).toBe("moderated");
  });

  it("on Discord, a mention permits one link: it passes once, the next is filtered, and it is audited", async () => {
    const { community } = await linkFilter();
    const viewer = { id: "200000000000000001", username: "viewer" };
    expect((await send(chat(community, "see https://evil.example.com", viewer))).status).toBe("moderated");
    const granted = await send(chat(community, `!permit <@${viewer.id}>`, { id: "m1", isModerator: true }));
    expect(texts(granted)).toEqual([`<@${viewer.id}> may post one link in the next 60s.`]);
    expect((await send(chat(community, "see https://evil.example.com", viewer))).status).toBe("ignored");
    expect((await send(chat(community, "and https://evil.example.com/2", viewer))).status).toBe("moderated");
    const audit = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.communityId, community.id), eq(auditLog.action, "moderation.permit")));
    expect(audit).toMatchObject([
      { actorId: "m1", targetId: `discord:id:${viewer.id}`, details: { links: "one", seconds: 60 } },
    ]);
  });

  it("on Twitch, `!permit @name 120` lets any links through until the window ends, then filters again", async () => {
    const { community } = await linkFilter();
    const mod = { id: "t-mod", username: "modname", badges: ["moderator/1"] };
    const viewer = { id: "t-viewer", username: "viewer" };
    const granted = await send(twitch(community, "!permit @Viewer 120", mod));
    expect(texts(granted)).toEqual(["@Viewer may post links for the next 120s."]);
    for (const n of [1, 2]) {
      expect((await send(twitch(community, `clip https://evil.example.com/${n}`, viewer))).status).toBe("ignored");
    }
    // Another chatter, or the same name on another platform, has no permit.
    const other = twitch(community, "https://evil.example.com", { id: "t-other", username: "other" });
    expect((await send(other)).status).toBe("moderated");
    expect((await send(chat(community, "https://evil.example.com", viewer))).status).toBe("moderated");
    // The window ends (moved into the past rather than waited for).
    await db()
      .update(moderationPermits)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(moderationPermits.communityId, community.id));
    expect((await send(twitch(community, "https://evil.example.com/3", viewer))).status).toBe("moderated");
  });

  it("on Slack, a non-moderator's !permit is refused and stores nothing; an admin's works", async () => {
    const { community } = await linkFilter();
    const viewer = { id: "U0VIEWER", username: "viewer" };
    const refused = await send(slack(community, "!permit <@U0VIEWER|viewer>", { id: "U0NOBODY", username: "nobody" }));
    expect(refused.status).toBe("denied");
    expect(await permits(community.id)).toEqual([]);
    expect((await send(slack(community, "https://evil.example.com", viewer))).status).toBe("moderated");
    const admin = { id: "U0ADMIN", username: "boss", isAdmin: true };
    expect(texts(await send(slack(community, "!permit <@U0VIEWER|viewer>", admin)))[0]).toMatch(/one link/);
    expect((await send(slack(community, "https://evil.example.com", viewer))).status).toBe("ignored");
  });

  it("answers a bad duration or a missing user with the usage line, and stores nothing", async () => {
    const { community } = await linkFilter();
    const mod = { id: "m2", isModerator: true };
    for (const line of [
      "!permit",
      "!permit bob 0",
      "!permit bob 601",
      "!permit bob 1.5",
      "!permit bob ten",
      "!permit bob 5 x",
    ]) {
      expect(texts(await send(chat(community, line, mod))), line).toEqual([PERMIT_USAGE]);
    }
    expect(await permits(community.id)).toEqual([]);
  });

  it("follows the rule's settings: its own default window, or off", async () => {
    const { community } = await linkFilter({ permitSec: 30 });
    const mod = { id: "m3", isModerator: true };
    expect(texts(await send(chat(community, "!permit bob", mod)))).toEqual(["bob may post one link in the next 30s."]);
    const off = await linkFilter({ permit: false });
    expect(texts(await send(chat(off.community, "!permit bob", mod)))).toEqual([
      "!permit is off here: no link filter takes permits.",
    ]);
    expect((await send(chat(off.community, "https://evil.example.com", { username: "bob" }))).status).toBe("moderated");
  });

  it("refuses a permit window over the cap in the rule form with the field's path, and saves nothing", async () => {
    const { community, authorization } = await linkFilter();
    const res = await api("POST", `/api/v1/communities/${community.id}/moderation/rules`, authorization, {
      name: "too long",
      matchType: "links",
      action: "delete",
      options: { permitSec: 601 },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res)).toContain("permitSec");
    const list = await api<{ name: string }[]>(
      "GET",
      `/api/v1/communities/${community.id}/moderation/rules`,
      authorization,
    );
    expect(list.data.map((r) => r.name)).toEqual(["no links"]);
  });

  it("reads mentions and names, and refuses text that names nobody", () => {
    expect(permitTarget("<@123>")).toBe("id:123");
    expect(permitTarget("<@!123>")).toBe("id:123");
    expect(permitTarget("<@U0AB|bob>")).toBe("id:U0AB");
    expect(permitTarget("@Bob_99")).toBe("name:bob_99");
    expect(permitTarget("<script>")).toBeNull();
    expect(permitTarget("a b")).toBeNull();
  });
});
