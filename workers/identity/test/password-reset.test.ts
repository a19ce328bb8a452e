import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { passwordResetTokens } from "../../../lib/db/schema/index.ts";
import { call } from "../../../test/workerd/self.ts";
import { type EmailMessage, setEmailSenderForTests } from "../src/email.ts";
import { createPortalUser, json, login } from "./helpers.ts";

const outbox: EmailMessage[] = [];
setEmailSenderForTests({ send: async (m) => void outbox.push(m) });
afterEach(() => {
  outbox.length = 0;
});

async function requestReset(email: string) {
  const res = await call("/api/v1/auth/password-reset/request", json({ email }));
  expect(res.status).toBe(202);
  const mail = outbox.find((m) => m.to === email);
  return mail ? new URL(mail.link!).searchParams.get("token")! : null;
}
const confirm = (token: string, password: string) =>
  call("/api/v1/auth/password-reset/confirm", json({ token, password }));

describe("password reset by emailed token", () => {
  it("sets a new password, ends old sessions, and the token works once", async () => {
    const user = await createPortalUser();
    const old = await login(user.email, user.password);
    const token = await requestReset(user.email);
    expect(token).toMatch(/^wbr_[0-9a-f]{64}$/);

    expect((await confirm(token!, "a brand new password")).status).toBe(200);
    expect((await call("/api/v1/auth/me", { headers: { cookie: old.cookie } })).status).toBe(401);
    expect((await login(user.email, "a brand new password")).res.status).toBe(200);
    expect((await confirm(token!, "yet another password")).status).toBe(400);
  });

  it("stores only the token's hash", async () => {
    const user = await createPortalUser();
    const token = await requestReset(user.email);
    const rows = await createDb(env.DB)
      .select()
      .from(passwordResetTokens)
      .where(eq(passwordResetTokens.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token!);
  });

  it("answers an unknown email the same way and sends nothing", async () => {
    expect(await requestReset("nobody-here@waddlebot.test")).toBeNull();
  });

  it("refuses an expired token", async () => {
    const user = await createPortalUser();
    const token = await requestReset(user.email);
    await createDb(env.DB)
      .update(passwordResetTokens)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .where(eq(passwordResetTokens.userId, user.id));
    expect((await confirm(token!, "a brand new password")).status).toBe(400);
  });

  it("refuses a forged token and a short password", async () => {
    const user = await createPortalUser();
    const token = await requestReset(user.email);
    expect((await confirm(`wbr_${"0".repeat(64)}`, "a brand new password")).status).toBe(400);
    const short = await confirm(token!, "short");
    expect(short.status).toBe(400);
    expect((await login(user.email, user.password)).res.status).toBe(200);
  });
});
