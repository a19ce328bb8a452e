import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { auditLog, type Platform, roleAssignments, userIdentities } from "../../../lib/db/schema/index.ts";
import { fakeRoles } from "../../../test/shared/fake-control.ts";
import { snowflake } from "../../../test/shared/ids.ts";
import { reconcileRoles } from "../src/labels/reconcile.ts";
import { ROLE_SYNC_MAX_ATTEMPTS } from "../src/labels/role-sync.ts";
import { addMember, labelsSetup } from "./support/labels.ts";
import { fake } from "./support/router.ts";

const roles = fakeRoles(env.FAKE_PLATFORM_URL);

async function linkIdentity(userId: string, platform: Platform, platformUserId: string) {
  await createDb(env.DB)
    .insert(userIdentities)
    .values({ userId, platform, platformUserId, username: "penguin", verifiedAt: new Date() });
}

/** Polls the audit log (the consumer runs after the request has answered). */
async function waitForAudit(action: string, targetId: string, outcome = "success", count = 1) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = await createDb(env.DB)
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.action, action), eq(auditLog.targetId, targetId), eq(auditLog.outcome, outcome as "success")),
      );
    if (rows.length >= count) return rows;
    if (Date.now() > deadline) throw new Error(`no ${outcome} audit ${action} for ${targetId}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function discordGroup() {
  const s = await labelsSetup();
  const guild = s.community.platformIds.discord;
  const roleId = snowflake();
  await roles.define("discord", guild, roleId);
  await s.call("POST", "/labels", { name: "Supporter" });
  const group = await s.call<{ id: string }>("POST", "/entity-groups", {
    label: "supporter",
    platform: "discord",
    roleId,
  });
  expect(group.status).toBe(201);
  const userId = await addMember(s.community.id);
  const discordId = snowflake();
  await linkIdentity(userId, "discord", discordId);
  return { ...s, guild, roleId, userId, discordId, groupId: group.data.id };
}

describe("entity groups", () => {
  it("refuses a role id the platform could not address, an unknown label and a duplicate mapping", async () => {
    const { call } = await labelsSetup();
    await call("POST", "/labels", { name: "vip" });
    for (const body of [
      { label: "vip", platform: "discord", roleId: "admins" },
      { label: "vip", platform: "discord", roleId: "1/../../bans/2" },
      { label: "vip", platform: "slack", roleId: "C123" },
      { label: "vip", platform: "twitch", roleId: "editor" },
      { label: "vip", platform: "irc", roleId: "vip" },
    ]) {
      const res = await call("POST", "/entity-groups", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await call("POST", "/entity-groups", { label: "nope", platform: "twitch", roleId: "vip" })).status).toBe(
      400,
    );
    expect((await call("POST", "/entity-groups", { label: "VIP", platform: "twitch", roleId: "vip" })).status).toBe(
      201,
    );
    expect((await call("POST", "/entity-groups", { label: "vip", platform: "twitch", roleId: "vip" })).status).toBe(
      409,
    );
    expect((await call<unknown[]>("GET", "/entity-groups")).data).toHaveLength(1);
  });

  it("gives the Discord role when a member gains the label and takes it back when they lose it", async () => {
    const { call, guild, roleId, userId, discordId } = await discordGroup();
    await call("POST", `/members/${userId}/labels`, { label: "Supporter" });
    await roles.waitFor("discord", guild, roleId, (m) => m.includes(discordId));
    await waitForAudit("labels.role_added", userId);
    const labels = await call<{ labels: { id: string }[] }>("GET", `/members/${userId}/labels`);
    await call("DELETE", `/members/${userId}/labels/${labels.data.labels[0]!.id}`);
    await roles.waitFor("discord", guild, roleId, (m) => !m.includes(discordId));
    await waitForAudit("labels.role_removed", userId);
  });

  it("retries a platform outage until the role is given", async () => {
    const { call, guild, roleId, userId, discordId } = await discordGroup();
    await fake.script({ method: "PUT", path: `/members/${discordId}/roles/${roleId}`, status: 502, times: 2 });
    await call("POST", `/members/${userId}/labels`, { label: "supporter" });
    await roles.waitFor("discord", guild, roleId, (m) => m.includes(discordId));
    const attempts = await fake.requests(`/members/${discordId}/roles/${roleId}`);
    expect(attempts.length).toBe(3);
  });

  it("records a change that keeps failing after its retries, and stops calling", async () => {
    const { call, roleId, userId, discordId } = await discordGroup();
    await fake.script({
      method: "PUT",
      path: `/members/${discordId}/roles/${roleId}`,
      status: 503,
      times: ROLE_SYNC_MAX_ATTEMPTS,
    });
    await call("POST", `/members/${userId}/labels`, { label: "supporter" });
    const [row] = await waitForAudit("labels.role_sync", userId, "failure");
    expect(row?.details).toMatchObject({ attempts: ROLE_SYNC_MAX_ATTEMPTS });
    expect((await fake.requests(`/members/${discordId}/roles/${roleId}`)).length).toBe(ROLE_SYNC_MAX_ATTEMPTS);
  });

  it("records a change the platform refuses (unknown role) as a failure, without retrying it", async () => {
    const { call, community, userId } = await discordGroup();
    await call("POST", "/labels", { name: "ghost" });
    const missingRole = snowflake();
    await call("POST", "/entity-groups", { label: "ghost", platform: "discord", roleId: missingRole });
    await call("POST", `/members/${userId}/labels`, { label: "ghost" });
    const [row] = await waitForAudit("labels.role_sync", userId, "failure");
    expect(row?.communityId).toBe(community.id);
    expect(JSON.stringify(row?.details)).toMatch(/404/);
    expect((await fake.requests(`/roles/${missingRole}`)).length).toBe(1);
  });

  it("gives the role to holders when the group is created, and takes it back when the label is deleted", async () => {
    const { call, community } = await labelsSetup();
    const label = await call<{ id: string }>("POST", "/labels", { name: "crew" });
    const userId = await addMember(community.id);
    const discordId = snowflake();
    await linkIdentity(userId, "discord", discordId);
    await call("POST", `/members/${userId}/labels`, { label: "crew" });
    const roleId = snowflake();
    await roles.define("discord", community.platformIds.discord, roleId);
    await call("POST", "/entity-groups", { label: "crew", platform: "discord", roleId });
    await roles.waitFor("discord", community.platformIds.discord, roleId, (m) => m.includes(discordId));
    await call("DELETE", `/labels/${label.data.id}`);
    await roles.waitFor("discord", community.platformIds.discord, roleId, (m) => !m.includes(discordId));
  });

  it("the fake platform checks role calls as the platforms do: no token 401, unknown guild or role 404", async () => {
    const guild = snowflake();
    const roleId = snowflake();
    await roles.define("discord", guild, roleId);
    const put = (g: string, r: string, headers: Record<string, string> = { authorization: "Bot t" }) =>
      fetch(`${env.FAKE_PLATFORM_URL}/discord/guilds/${g}/members/1/roles/${r}`, { method: "PUT", headers });
    expect((await put(guild, roleId, {})).status).toBe(401);
    expect((await put(snowflake(), roleId)).status).toBe(404);
    expect((await put(guild, snowflake())).status).toBe(404);
    expect((await put(guild, roleId)).status).toBe(204);
    const vip = await fetch(`${env.FAKE_PLATFORM_URL}/helix/channels/vips?broadcaster_id=1&user_id=2`, {
      method: "POST",
    });
    expect(vip.status).toBe(401);
  });

  it("deleting an entity group takes back the roles it gave (and only its own)", async () => {
    const { call, guild, roleId, userId, discordId, groupId } = await discordGroup();
    await call("POST", `/members/${userId}/labels`, { label: "supporter" });
    await roles.waitFor("discord", guild, roleId, (m) => m.includes(discordId));
    expect((await call("DELETE", `/entity-groups/${groupId}`)).status).toBe(200);
    await roles.waitFor("discord", guild, roleId, (m) => !m.includes(discordId));
    expect((await call("DELETE", `/entity-groups/${groupId}`)).status).toBe(404);
    // The member keeps the label: only the mapping went.
    expect((await call<{ labels: unknown[] }>("GET", `/members/${userId}/labels`)).data.labels).toHaveLength(1);
  });

  it("the nightly reconcile puts back a role removed on the platform by hand", async () => {
    const { call, community, guild, roleId, userId, discordId, groupId } = await discordGroup();
    await call("POST", `/members/${userId}/labels`, { label: "supporter" });
    await roles.waitFor("discord", guild, roleId, (m) => m.includes(discordId));
    // Someone removes it in Discord.
    const res = await fetch(`${env.FAKE_PLATFORM_URL}/discord/guilds/${guild}/members/${discordId}/roles/${roleId}`, {
      method: "DELETE",
      headers: { authorization: "Bot someone" },
    });
    expect(res.status).toBe(204);
    expect(await roles.holders("discord", guild, roleId)).not.toContain(discordId);
    expect(await reconcileRoles(env as never, community.id)).toBe(1);
    await roles.waitFor("discord", guild, roleId, (m) => m.includes(discordId));
    const [assigned] = await createDb(env.DB)
      .select()
      .from(roleAssignments)
      .where(eq(roleAssignments.groupId, groupId));
    expect(assigned?.platformUserId).toBe(discordId);
  });

  it("moves the role when the member's Discord account changes (reconcile)", async () => {
    const { call, community, guild, roleId, userId, discordId } = await discordGroup();
    await call("POST", `/members/${userId}/labels`, { label: "supporter" });
    await roles.waitFor("discord", guild, roleId, (m) => m.includes(discordId));
    const newId = snowflake();
    await createDb(env.DB)
      .update(userIdentities)
      .set({ platformUserId: newId })
      .where(and(eq(userIdentities.userId, userId), eq(userIdentities.platform, "discord")));
    await reconcileRoles(env as never, community.id);
    const holders = await roles.waitFor("discord", guild, roleId, (m) => m.includes(newId) && !m.includes(discordId));
    expect(holders).toEqual([newId]);
  });

  it("adds a member to a Slack user group and makes a Twitch VIP", async () => {
    const { call, community } = await labelsSetup();
    const group = `S${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    await roles.define("slack", community.platformIds.slack, group);
    await call("POST", "/labels", { name: "helpers" });
    await call("POST", "/entity-groups", { label: "helpers", platform: "slack", roleId: group });
    await call("POST", "/entity-groups", { label: "helpers", platform: "twitch", roleId: "vip" });
    const userId = await addMember(community.id);
    const slackId = `U${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    const twitchId = `${Math.floor(Math.random() * 1e9)}`;
    await linkIdentity(userId, "slack", slackId);
    await linkIdentity(userId, "twitch", twitchId);
    await call("POST", `/members/${userId}/labels`, { label: "helpers" });
    await roles.waitFor("slack", community.platformIds.slack, group, (m) => m.includes(slackId));
    await roles.waitFor("twitch", community.platformIds.twitch, "vip", (m) => m.includes(twitchId));
    // Both consumers have finished their writes too (nothing left running when the file ends).
    await waitForAudit("labels.role_added", userId, "success", 2);
  });
});
