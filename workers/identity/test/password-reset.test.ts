import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { passwordResetTokens } from "../../../lib/db/schema/index.ts";
import { call } from "../../../test/workerd/self.ts";
import { app } from "../src/app.ts";
import { createPortalUser, json, login } from "./helpers.ts";
import { mailTo, tokenMailedTo } from "./mail-helpers.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

async function requestReset(email: string) {
  const res = await call("/api/v1/auth/password-reset/request", json({ email }));
  expect(res.status).toBe(202);
  return tokenMailedTo(email);
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

describe("reset links are secrets", () => {
  it("never reach the console: the token is only in the (local) mailbox", async () => {
    const lines: string[] = [];
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    }
    const user = await createPortalUser();
    const token = await requestReset(user.email);
    expect(token).toMatch(/^wbr_[0-9a-f]{64}$/);
    expect((await confirm(token!, "a brand new password")).status).toBe(200);
    expect(lines.filter((l) => l.includes(token!) || l.includes(token!.slice(4)))).toEqual([]);
  });

  it("a deployed worker without an email sender answers 503 and issues no token", async () => {
    const user = await createPortalUser();
    const deployed = { ...env, WADDLEBOT_ENV: "production" };
    for (const email of [user.email, "nobody-at-all@waddlebot.test"]) {
      const res = await app.fetch(
        new Request("http://worker.test/api/v1/auth/password-reset/request", json({ email })),
        deployed,
      );
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ success: false, message: "email is not configured" });
    }
    const rows = await createDb(env.DB)
      .select()
      .from(passwordResetTokens)
      .where(eq(passwordResetTokens.userId, user.id));
    expect(rows).toEqual([]);
    expect(await mailTo(user.email)).toEqual([]);
  });

  it("the dev mailbox is readable locally and absent on a deployed worker", async () => {
    const user = await createPortalUser();
    await requestReset(user.email);
    const path = `/api/v1/auth/dev/mailbox?to=${encodeURIComponent(user.email)}`;
    const local = await call(path);
    expect(local.status).toBe(200);
    expect((await local.json<{ data: { subject: string }[] }>()).data[0]?.subject).toContain("Reset");
    const deployed = await app.fetch(new Request(`http://worker.test${path}`), { ...env, WADDLEBOT_ENV: "production" });
    expect(deployed.status).toBe(404);
  });

  it("with SMTP settings a deployed worker sends the link to a real SMTP server, and logs nothing of it", async () => {
    const lines: string[] = [];
    for (const method of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(" ")));
    }
    const fakeUrl = (env as unknown as { FAKE_PLATFORM_URL: string }).FAKE_PLATFORM_URL;
    const { port } = await (await fetch(`${fakeUrl}/_fake/smtp`)).json<{ port: number }>();
    const user = await createPortalUser();
    const deployed = {
      ...env,
      WADDLEBOT_ENV: "production",
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(port),
      SMTP_FROM: "WaddleBot <bot@waddlebot.test>",
    };
    const res = await app.fetch(
      new Request("http://worker.test/api/v1/auth/password-reset/request", json({ email: user.email })),
      deployed,
      createExecutionContext(),
    );
    expect(res.status).toBe(202);
    const [mail] = await (await fetch(`${fakeUrl}/_fake/mail?to=${encodeURIComponent(user.email)}`)).json<
      { from: string; data: string }[]
    >();
    expect(mail?.from).toBe("bot@waddlebot.test");
    // Quoted-printable: soft line breaks and =XX escapes.
    const text = mail!.data
      .replace(/=\r?\n/g, "")
      .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
    const token = text.match(/token=(wbr_[0-9a-f]{64})/)?.[1];
    expect(token).toBeDefined();
    expect(await mailTo(user.email)).toEqual([]);
    expect(lines.filter((l) => l.includes(token!.slice(4)))).toEqual([]);
    expect((await confirm(token!, "a password from smtp")).status).toBe(200);
  });
});
