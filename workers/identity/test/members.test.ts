import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { memberInvites, users } from "../../../lib/db/schema/index.ts";
import { snowflake } from "../../../test/shared/ids.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";
import { app } from "../src/app.ts";
import { cookiesOf, createPortalUser, json, login, short } from "./helpers.ts";
import { mailTo, tokenMailedTo } from "./mail-helpers.ts";
import { platformLogin } from "./oauth-helpers.ts";

type Member = { userId: string; role: string; email: string | null; reputation: number; identities: unknown[] };
const db = () => createDb(env.DB);
const add = (communityId: string, authorization: string, body: unknown) =>
  call(`/api/v1/communities/${communityId}/members`, json(body, { authorization }));
const accept = (body: unknown, headers: Record<string, string> = {}) =>
  call("/api/v1/auth/invites/accept", json(body, headers));
const membersOf = async (communityId: string, authorization: string) =>
  (
    await (
      await call(`/api/v1/communities/${communityId}/members`, { headers: { authorization } })
    ).json<{
      data: Member[];
    }>()
  ).data;
const invitesTo = (email: string) => db().select().from(memberInvites).where(eq(memberInvites.email, email));

describe("adding members by email sends an invite", () => {
  it("the person sets their own password when they accept, and only then is a member", async () => {
    const c = await createCommunity();
    const admin = await createUserWithKey({ communityId: c.id, role: "admin" });
    const email = `mod-${short()}@waddlebot.test`;
    const res = await add(c.id, admin.authorization, { email, displayName: "Mod", role: "moderator" });
    expect(res.status).toBe(202);
    expect(await db().select().from(users).where(eq(users.email, email))).toEqual([]);
    expect((await membersOf(c.id, admin.authorization)).map((m) => m.email)).not.toContain(email);

    const token = await tokenMailedTo(email);
    expect(token).toMatch(/^wbi_[0-9a-f]{64}$/);
    expect(await accept({ token })).toMatchObject({ status: 400 }); // no password chosen yet
    const accepted = await accept({ token, password: "my very own password" });
    expect(accepted.status).toBe(200);
    expect(cookiesOf(accepted).wb_session).toMatch(/^wbs_/);
    await login(email, "my very own password");
    const member = (await membersOf(c.id, admin.authorization)).find((m) => m.email === email);
    expect(member).toMatchObject({ role: "moderator", reputation: 0, identities: [] });
  });

  it("answers the same whether or not the email already has an account", async () => {
    const c = await createCommunity();
    const admin = await createUserWithKey({ communityId: c.id, role: "admin" });
    const existing = await createPortalUser();
    const fresh = `new-${short()}@waddlebot.test`;
    const shape = async (email: string) => {
      const res = await add(c.id, admin.authorization, { email, role: "member" });
      const body = await res.json<{ data: Record<string, unknown>; message: string }>();
      return {
        status: res.status,
        keys: Object.keys(body).sort(),
        dataKeys: Object.keys(body.data).sort(),
        message: body.message.replace(email, "<email>"),
      };
    };
    expect(await shape(existing.email)).toEqual(await shape(fresh));

    // The existing account joins only once its owner accepts, signed in.
    const token = await tokenMailedTo(existing.email);
    expect((await accept({ token, password: "trying to overwrite it" })).status).toBe(409);
    const session = await login(existing.email, existing.password);
    const joined = await accept({ token }, { cookie: session.cookie, "x-csrf-token": session.csrf });
    expect(joined.status).toBe(200);
    expect((await membersOf(c.id, admin.authorization)).map((m) => m.userId)).toContain(existing.id);
    await login(existing.email, existing.password);
  });

  it("someone signed in with a platform accepts as that account, which takes the invited email", async () => {
    const c = await createCommunity();
    const admin = await createUserWithKey({ communityId: c.id, role: "admin" });
    const email = `viewer-${short()}@waddlebot.test`;
    await add(c.id, admin.authorization, { email, role: "member" });
    const id = snowflake();
    const session = await platformLogin("discord", id, `viewer${id}`);
    const res = await accept({ token: await tokenMailedTo(email) }, session.write);
    expect(res.status).toBe(200);
    const { userId } = (await res.json<{ data: { userId: string } }>()).data;
    expect((await membersOf(c.id, admin.authorization)).find((m) => m.userId === userId)).toMatchObject({
      email,
      identities: [expect.objectContaining({ platform: "discord", platformUserId: id })],
    });
  });

  it("refuses an admin-chosen password with 400 and stores nothing", async () => {
    const c = await createCommunity();
    const admin = await createUserWithKey({ communityId: c.id, role: "admin" });
    const email = `pw-${short()}@waddlebot.test`;
    const res = await add(c.id, admin.authorization, { email, password: "chosen by the admin", role: "member" });
    expect(res.status).toBe(400);
    expect(await invitesTo(email)).toEqual([]);
    expect(await mailTo(email)).toEqual([]);
  });

  it("answers 404 for an unknown community, even to a global admin, and stores nothing", async () => {
    const admin = await createUserWithKey({ globalRole: "admin" });
    const email = `ghost-${short()}@waddlebot.test`;
    const res = await add(crypto.randomUUID(), admin.authorization, { email, displayName: "Ghost" });
    expect(res.status).toBe(404);
    expect(await db().select().from(users).where(eq(users.email, email))).toEqual([]);
    expect(await invitesTo(email)).toEqual([]);
    expect(await mailTo(email)).toEqual([]);
  });

  it("invite tokens are stored hashed, work once and expire", async () => {
    const c = await createCommunity();
    const admin = await createUserWithKey({ communityId: c.id, role: "admin" });
    const email = `once-${short()}@waddlebot.test`;
    await add(c.id, admin.authorization, { email });
    const token = (await tokenMailedTo(email))!;
    expect(JSON.stringify(await invitesTo(email))).not.toContain(token.slice(4));
    expect((await accept({ token, password: "the first password" })).status).toBe(200);
    expect((await accept({ token, password: "the second password" })).status).toBe(400);

    const late = `late-${short()}@waddlebot.test`;
    await add(c.id, admin.authorization, { email: late });
    await db()
      .update(memberInvites)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .where(eq(memberInvites.email, late));
    expect((await accept({ token: await tokenMailedTo(late), password: "too late for this" })).status).toBe(400);
    expect(await db().select().from(users).where(eq(users.email, late))).toEqual([]);
  });

  it("a deployed worker without email answers 503 and stores no invite", async () => {
    const c = await createCommunity();
    const admin = await createUserWithKey({ communityId: c.id, role: "admin" });
    const email = `nomail-${short()}@waddlebot.test`;
    const res = await app.fetch(
      new Request(
        `http://worker.test/api/v1/communities/${c.id}/members`,
        json({ email }, { authorization: admin.authorization }),
      ),
      { ...env, WADDLEBOT_ENV: "production" },
      createExecutionContext(),
    );
    expect(res.status).toBe(503);
    expect(await invitesTo(email)).toEqual([]);
  });

  it("an unreachable mail server answers 503 and leaves no usable invite", async () => {
    const c = await createCommunity();
    const admin = await createUserWithKey({ communityId: c.id, role: "admin" });
    const email = `down-${short()}@waddlebot.test`;
    const res = await app.fetch(
      new Request(
        `http://worker.test/api/v1/communities/${c.id}/members`,
        json({ email }, { authorization: admin.authorization }),
      ),
      { ...env, SMTP_HOST: "127.0.0.1", SMTP_PORT: "9", EMAIL_FROM: "bot@waddlebot.test" },
      createExecutionContext(),
    );
    expect(res.status).toBe(503);
    expect(await invitesTo(email)).toEqual([]);
  });

  it("moderators may not add members, and only owners may add an owner", async () => {
    const c = await createCommunity();
    const mod = await createUserWithKey({ communityId: c.id, role: "moderator" });
    const admin = await createUserWithKey({ communityId: c.id, role: "admin" });
    const body = { email: `x-${short()}@waddlebot.test`, displayName: "X", role: "member" };
    expect((await add(c.id, mod.authorization, body)).status).toBe(403);
    expect((await add(c.id, admin.authorization, { ...body, role: "owner" })).status).toBe(403);
  });

  it("refuses a bad email with 400", async () => {
    const c = await createCommunity();
    const admin = await createUserWithKey({ communityId: c.id, role: "admin" });
    expect((await add(c.id, admin.authorization, { email: "nope", displayName: "N" })).status).toBe(400);
  });
});

describe("changing a member's role", () => {
  const putRole = (communityId: string, userId: string, authorization: string, role: string) =>
    call(`/api/v1/communities/${communityId}/members/${userId}/role`, {
      method: "PUT",
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify({ role }),
    });

  it("mails the member what changed and who changed it", async () => {
    const c = await createCommunity();
    const owner = await createUserWithKey({ communityId: c.id, role: "owner" });
    const mod = await createUserWithKey({ communityId: c.id, role: "moderator" });
    const res = await putRole(c.id, mod.userId, owner.authorization, "admin");
    expect(res.status).toBe(200);
    const [user] = await db().select().from(users).where(eq(users.id, mod.userId));
    const [mail] = await mailTo(user!.email!);
    expect(mail?.subject).toMatch(/^Your role in Community \S+ is now admin$/);
    expect(mail?.text).toContain("from moderator to admin");
  });

  it("a refused change (bad role, or not allowed) mails nothing and keeps the role", async () => {
    const c = await createCommunity();
    const admin = await createUserWithKey({ communityId: c.id, role: "admin" });
    const mod = await createUserWithKey({ communityId: c.id, role: "moderator" });
    expect((await putRole(c.id, mod.userId, admin.authorization, "emperor")).status).toBe(400);
    expect((await putRole(c.id, mod.userId, admin.authorization, "owner")).status).toBe(403);
    const [user] = await db().select().from(users).where(eq(users.id, mod.userId));
    expect(await mailTo(user!.email!)).toEqual([]);
    expect((await membersOf(c.id, admin.authorization)).find((m) => m.userId === mod.userId)?.role).toBe("moderator");
  });
});

describe("invite and role-change mails over SMTP", () => {
  it("a deployed worker with SMTP settings sends both to a real SMTP server, not to the dev mailbox", async () => {
    const fakeUrl = (env as unknown as { FAKE_PLATFORM_URL: string }).FAKE_PLATFORM_URL;
    const { port } = await (await fetch(`${fakeUrl}/_fake/smtp`)).json<{ port: number }>();
    const deployed = {
      ...env,
      WADDLEBOT_ENV: "production",
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(port),
      EMAIL_FROM: "WaddleBot <bot@waddlebot.test>",
    };
    const send = async (path: string, init: RequestInit) => {
      const ctx = createExecutionContext();
      const res = await app.fetch(new Request(`http://worker.test${path}`, init), deployed, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    };
    // Quoted-printable bodies: soft line breaks and =XX escapes.
    const smtpMail = async (to: string) =>
      (await (await fetch(`${fakeUrl}/_fake/mail?to=${encodeURIComponent(to)}`)).json<{ data: string }[]>()).map((m) =>
        m.data
          .replace(/=\r?\n/g, "")
          .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      );
    const c = await createCommunity();
    const owner = await createUserWithKey({ communityId: c.id, role: "owner" });
    const email = `smtp-${short()}@waddlebot.test`;
    const invited = await send(
      `/api/v1/communities/${c.id}/members`,
      json({ email, role: "moderator" }, { authorization: owner.authorization }),
    );
    expect(invited.status).toBe(202);
    expect((await smtpMail(email))[0]).toMatch(/accept-invite\?token=wbi_[0-9a-f]{64}/);
    expect(await mailTo(email)).toEqual([]);

    const mod = await createUserWithKey({ communityId: c.id, role: "moderator" });
    const [modUser] = await db().select().from(users).where(eq(users.id, mod.userId));
    const changed = await send(`/api/v1/communities/${c.id}/members/${mod.userId}/role`, {
      method: "PUT",
      headers: { authorization: owner.authorization, "content-type": "application/json" },
      body: JSON.stringify({ role: "admin" }),
    });
    expect(changed.status).toBe(200);
    await expect.poll(async () => (await smtpMail(modUser!.email!))[0]).toContain("from moderator to admin");
  });
});
