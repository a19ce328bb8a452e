import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { auditLog, communityMembers, platformActivity } from "../../../lib/db/schema/index.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { api, chat, send } from "./support/router.ts";

type Checklist = {
  passwordChanged: boolean;
  platforms: { platform: string; linked: boolean; lastEventAt: string | null }[];
  firstCommand: boolean;
  overlayConnected: boolean;
  moderatorInvited: boolean;
};

async function setup() {
  const community = await createCommunity();
  const owner = await createUserWithKey({ communityId: community.id, role: "owner" });
  const get = () => api<Checklist>("GET", `/api/v1/communities/${community.id}/getting-started`, owner.authorization);
  return { community, owner, get };
}
const heardFrom = async (communityId: string) =>
  (await createDb(env.DB).select().from(platformActivity)).filter((a) => a.communityId === communityId);

describe("the getting-started checklist", () => {
  it("starts with nothing done on a fresh community (platforms linked, nothing heard)", async () => {
    const { get } = await setup();
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      passwordChanged: false,
      platforms: [
        { platform: "discord", linked: true, lastEventAt: null },
        { platform: "twitch", linked: true, lastEventAt: null },
        { platform: "slack", linked: true, lastEventAt: null },
      ],
      firstCommand: false,
      overlayConnected: false,
      moderatorInvited: false,
    });
  });

  it("a live chat event marks its platform as heard; a simulated try does not", async () => {
    const { community, owner, get } = await setup();
    const tried = await api("POST", `/api/v1/communities/${community.id}/simulate`, owner.authorization, {
      text: "!ping",
    });
    expect(tried.status).toBe(200);
    expect(await heardFrom(community.id)).toEqual([]);
    await send(chat(community, "hello"));
    await expect.poll(() => heardFrom(community.id)).toHaveLength(1);
    const platforms = (await get()).data.platforms;
    expect(platforms.find((p) => p.platform === "discord")?.lastEventAt).toMatch(/^\d{4}-/);
    expect(platforms.find((p) => p.platform === "twitch")?.lastEventAt).toBeNull();
  });

  it("ticks the first command, a moderator, and a password the caller chose", async () => {
    const { community, owner, get } = await setup();
    const base = `/api/v1/communities/${community.id}`;
    expect((await api("POST", `${base}/commands`, owner.authorization, { name: "hi", response: "hi" })).status).toBe(
      201,
    );
    const mod = await createUserWithKey({});
    await createDb(env.DB)
      .insert(communityMembers)
      .values({ communityId: community.id, userId: mod.userId, role: "moderator" });
    await createDb(env.DB).insert(auditLog).values({
      actorType: "user",
      actorId: owner.userId,
      action: "auth.password_reset.confirm",
      outcome: "success",
    });
    expect((await get()).data).toMatchObject({ firstCommand: true, moderatorInvited: true, passwordChanged: true });
  });

  it("a member (not a moderator) cannot read it, and a plain member does not count as a moderator", async () => {
    const { community, get } = await setup();
    const member = await createUserWithKey({ communityId: community.id, role: "member" });
    const res = await api("GET", `/api/v1/communities/${community.id}/getting-started`, member.authorization);
    expect(res.status).toBe(403);
    expect((await get()).data.moderatorInvited).toBe(false);
  });
});
