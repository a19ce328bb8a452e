import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import {
  auditLog,
  commandExecutions,
  communities,
  devMailbox,
  identityLinkRequests,
  ingressEffects,
  loginLinks,
  memberInvites,
  moderationPermits,
  passwordResetTokens,
  sessions,
  users,
  verificationCodes,
} from "../../../lib/db/schema/index.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import Router from "../src/index.ts";
import { PRUNE_CHUNK, pruneExpired, retentionDays } from "../src/retention/retention.ts";

const DAY = 86_400_000;
const db = () => createDb(env.DB);
const ago = (days: number) => new Date(Date.now() - days * DAY);

/** The router's Cron Trigger: its `scheduled()` handler with a runtime-made controller. */
async function runCron() {
  const ctx = createExecutionContext();
  const router = new Router(ctx, env as never);
  await router.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "17 * * * *" }));
  await waitOnExecutionContext(ctx);
}

async function user() {
  const id = crypto.randomUUID();
  await db().insert(users).values({ id, displayName: "retention" });
  return id;
}

async function execution(communityId: string, createdAt: Date) {
  const id = crypto.randomUUID();
  await db().insert(commandExecutions).values({
    id,
    communityId,
    eventId: crypto.randomUUID(),
    platform: "twitch",
    userId: "u1",
    command: "!ping",
    engine: "builtin",
    status: "success",
    durationMs: 1,
    createdAt,
  });
  return id;
}

async function audit(occurredAt: Date, action = "test.retention") {
  const id = crypto.randomUUID();
  await db().insert(auditLog).values({ id, actorType: "system", action, outcome: "success", occurredAt });
  return id;
}

const idsIn = async <T extends { id: string }>(rows: Promise<T[]>) => (await rows).map((r) => r.id).sort();

describe("retention (Cron Trigger)", () => {
  it("prunes executions older than 30 days and audit older than 180, and keeps younger rows", async () => {
    const { id: communityId } = await createCommunity();
    const oldExec = await execution(communityId, ago(31));
    const youngExec = await execution(communityId, ago(29));
    const oldAudit = await audit(ago(181));
    const youngAudit = await audit(ago(179));

    await runCron();

    const execs = await idsIn(
      db()
        .select({ id: commandExecutions.id })
        .from(commandExecutions)
        .where(inArray(commandExecutions.id, [oldExec, youngExec])),
    );
    expect(execs).toEqual([youngExec]);
    const audits = await idsIn(
      db()
        .select({ id: auditLog.id })
        .from(auditLog)
        .where(inArray(auditLog.id, [oldAudit, youngAudit])),
    );
    expect(audits).toEqual([youngAudit]);
    // The run leaves its own trace, with the counts.
    const trace = await db().select().from(auditLog).where(eq(auditLog.action, "retention.pruned")).all();
    expect(trace.length).toBeGreaterThan(0);
    expect(trace.at(-1)?.details).toMatchObject({ results: { executions: { deleted: 1 }, audit: { deleted: 1 } } });
  });

  it("honours RETENTION_EXECUTIONS_DAYS and RETENTION_AUDIT_DAYS, and never prunes on a bad value", async () => {
    const { id: communityId } = await createCommunity();
    const fiveDays = await execution(communityId, ago(5));
    const tenDays = await audit(ago(10));
    await pruneExpired({ DB: env.DB, RETENTION_EXECUTIONS_DAYS: "3", RETENTION_AUDIT_DAYS: "zero" });
    expect(await db().select().from(commandExecutions).where(eq(commandExecutions.id, fiveDays)).get()).toBeUndefined();
    expect(await db().select().from(auditLog).where(eq(auditLog.id, tenDays)).get()).toBeDefined();
    expect(retentionDays({ RETENTION_AUDIT_DAYS: "0" }, "RETENTION_AUDIT_DAYS")).toBeNull();
    expect(retentionDays({ RETENTION_AUDIT_DAYS: "-5" }, "RETENTION_AUDIT_DAYS")).toBeNull();
    expect(retentionDays({}, "RETENTION_AUDIT_DAYS")).toBe(180);
  });

  it("deletes expired verification codes, reset tokens and sessions, and keeps live ones", async () => {
    const userId = await user();
    const past = new Date(Date.now() - 60_000);
    const future = new Date(Date.now() + 3_600_000);
    const code = (expiresAt: Date) => ({
      id: crypto.randomUUID(),
      requesterUserId: userId,
      channel: "chat" as const,
      targetPlatform: "twitch" as const,
      targetPlatformUserId: "t1",
      targetUsername: "t1",
      codeHash: crypto.randomUUID(),
      expiresAt,
    });
    const token = (expiresAt: Date) => ({ id: crypto.randomUUID(), userId, tokenHash: crypto.randomUUID(), expiresAt });
    const session = (expiresAt: Date) => ({ ...token(expiresAt), lastSeenAt: new Date() });
    const [deadCode, liveCode] = [code(past), code(future)];
    const [deadToken, liveToken] = [token(past), token(future)];
    const [deadSession, liveSession] = [session(past), session(future)];
    await db().insert(verificationCodes).values([deadCode, liveCode]);
    await db().insert(passwordResetTokens).values([deadToken, liveToken]);
    await db().insert(sessions).values([deadSession, liveSession]);

    await runCron();

    expect(
      await idsIn(
        db()
          .select({ id: verificationCodes.id })
          .from(verificationCodes)
          .where(eq(verificationCodes.requesterUserId, userId)),
      ),
    ).toEqual([liveCode.id]);
    expect(
      await idsIn(
        db()
          .select({ id: passwordResetTokens.id })
          .from(passwordResetTokens)
          .where(eq(passwordResetTokens.userId, userId)),
      ),
    ).toEqual([liveToken.id]);
    expect(await idsIn(db().select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId)))).toEqual([
      liveSession.id,
    ]);
  });

  it("deletes expired member invites and link requests, and dev mail older than a day", async () => {
    const [requester, target] = [await user(), await user()];
    const community = await createCommunity();
    const past = new Date(Date.now() - 60_000);
    const future = new Date(Date.now() + 3_600_000);
    const invite = (expiresAt: Date) => ({
      id: crypto.randomUUID(),
      communityId: community.id,
      email: `${crypto.randomUUID()}@example.test`,
      role: "member" as const,
      tokenHash: crypto.randomUUID(),
      expiresAt,
    });
    const request = (expiresAt: Date) => ({
      id: crypto.randomUUID(),
      requesterUserId: requester,
      requesterPlatform: "twitch" as const,
      requesterUsername: "r",
      targetUserId: target,
      targetPlatform: "discord" as const,
      targetPlatformUserId: "100000000000000123",
      expiresAt,
    });
    const mail = (createdAt: Date) => ({
      id: crypto.randomUUID(),
      to: "x@example.test",
      subject: "s",
      text: "t",
      createdAt,
    });
    const [deadInvite, liveInvite] = [invite(past), invite(future)];
    const [deadRequest, liveRequest] = [request(past), request(future)];
    const [oldMail, newMail] = [mail(ago(2)), mail(new Date())];
    await db().insert(memberInvites).values([deadInvite, liveInvite]);
    await db().insert(identityLinkRequests).values([deadRequest, liveRequest]);
    await db().insert(devMailbox).values([oldMail, newMail]);

    await runCron();

    const invites = await db()
      .select({ id: memberInvites.id })
      .from(memberInvites)
      .where(eq(memberInvites.communityId, community.id));
    expect(invites.map((r) => r.id)).toEqual([liveInvite.id]);
    const requests = await db()
      .select({ id: identityLinkRequests.id })
      .from(identityLinkRequests)
      .where(eq(identityLinkRequests.requesterUserId, requester));
    expect(requests.map((r) => r.id)).toEqual([liveRequest.id]);
    const mails = await db()
      .select({ id: devMailbox.id })
      .from(devMailbox)
      .where(inArray(devMailbox.id, [oldMail.id, newMail.id]));
    expect(mails.map((r) => r.id)).toEqual([newMail.id]);
    expect(
      await db().select({ id: communities.id }).from(communities).where(eq(communities.id, community.id)),
    ).toHaveLength(1);
  });

  it("deletes expired !permit grants and one-time sign-in links, and keeps live ones", async () => {
    const [community, owner] = [await createCommunity(), await user()];
    const past = new Date(Date.now() - 60_000);
    const future = new Date(Date.now() + 600_000);
    const permit = (target: string, expiresAt: Date) => ({
      communityId: community.id,
      platform: "twitch" as const,
      target,
      usesLeft: 1,
      expiresAt,
      grantedBy: "mod",
    });
    await db()
      .insert(moderationPermits)
      .values([permit("name:old", past), permit("name:new", future)]);
    const [deadLink, liveLink] = [crypto.randomUUID(), crypto.randomUUID()];
    await db()
      .insert(loginLinks)
      .values([
        { tokenHash: deadLink, userId: owner, expiresAt: past },
        { tokenHash: liveLink, userId: owner, expiresAt: future },
      ]);

    await runCron();

    const permits = await db()
      .select({ target: moderationPermits.target })
      .from(moderationPermits)
      .where(eq(moderationPermits.communityId, community.id));
    expect(permits.map((p) => p.target)).toEqual(["name:new"]);
    const links = await db()
      .select({ hash: loginLinks.tokenHash })
      .from(loginLinks)
      .where(eq(loginLinks.userId, owner));
    expect(links.map((l) => l.hash)).toEqual([liveLink]);
  });

  it("drops the events queue's done marks after a week and keeps this week's", async () => {
    const [oldKey, youngKey] = [`twitch:${crypto.randomUUID()}`, `twitch:${crypto.randomUUID()}`];
    await db()
      .insert(ingressEffects)
      .values([
        { eventKey: oldKey, effect: "routed", createdAt: ago(8) },
        { eventKey: youngKey, effect: "routed", createdAt: ago(6) },
      ]);
    await runCron();
    const left = await db()
      .select({ key: ingressEffects.eventKey })
      .from(ingressEffects)
      .where(inArray(ingressEffects.eventKey, [oldKey, youngKey]));
    expect(left.map((r) => r.key)).toEqual([youngKey]);
  });

  it("works through more rows than one chunk in one run, and bounds the chunks per run", async () => {
    const action = `test.bulk.${crypto.randomUUID()}`;
    const old = Date.now() - 365 * DAY;
    const total = PRUNE_CHUNK * 2 + 500;
    // One statement makes the rows (a recursive CTE), so the test does not spend seconds inserting.
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO audit_log (id, occurred_at, actor_type, action, outcome)
       SELECT lower(hex(randomblob(16))), ?, 'system', ?, 'success' FROM n`,
    )
      .bind(total, old, action)
      .run();
    const count = async () =>
      (await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = ?").bind(action).first<{ n: number }>())
        ?.n;
    expect(await count()).toBe(total);

    // Bounded: two chunks of 100 per run leave the rest for the next run, and say so.
    const bounded = await pruneExpired({ DB: env.DB }, Date.now(), { chunk: 100, maxChunks: 2 });
    expect(bounded.audit).toEqual({ deleted: 200, more: true });
    expect(await count()).toBe(total - 200);

    await runCron();
    expect(await count()).toBe(0);
  });
});
