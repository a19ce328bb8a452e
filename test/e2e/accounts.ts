/**
 * Accounts for the portal's emailed-link tests, made the way people get them: an invitation
 * by the admin API, the link read from the local dev mailbox, accepted with their own password.
 */
import { expect, inject } from "vitest";

const origin = inject("urls").router;
const adminKey = `Bearer ${inject("adminApiKey")}`;
const communityId = inject("demoCommunityId");

export const uniqueEmail = (what: string) => `${what}-${crypto.randomUUID().slice(0, 8)}@waddlebot.test`;

/** The newest link to `path` (`/accept-invite`, `/reset-password`) mailed to `to`, whole. */
export async function mailedLink(to: string, path: string): Promise<string> {
  const res = await fetch(`${origin}/api/v1/auth/dev/mailbox?to=${encodeURIComponent(to)}`);
  expect(res.status).toBe(200);
  const mails = ((await res.json()) as { data: { text: string }[] }).data;
  const pattern = new RegExp(`(https?://\\S+${path}\\?token=\\S+)`);
  const link = mails.map((m) => m.text.match(pattern)?.[1]).find(Boolean);
  if (!link) throw new Error(`no ${path} link mailed to ${to}`);
  return link;
}

/** Invites `email` to the demo community by the admin API (202, as the portal's form does). */
export async function invite(email: string, role: string): Promise<void> {
  const res = await fetch(`${origin}/api/v1/communities/${communityId}/members`, {
    method: "POST",
    headers: { authorization: adminKey, "content-type": "application/json" },
    body: JSON.stringify({ email, role }),
  });
  expect(res.status).toBe(202);
}

/** A person with a portal login: invited, then accepted over HTTP with their own password. */
export async function invitedAccount(role = "moderator") {
  const email = uniqueEmail(role);
  const password = `pw-${crypto.randomUUID()}`;
  await invite(email, role);
  const token = new URL(await mailedLink(email, "/accept-invite")).searchParams.get("token");
  const accepted = await fetch(`${origin}/api/v1/auth/invites/accept`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token, password }),
  });
  expect(accepted.status).toBe(200);
  const { userId } = ((await accepted.json()) as { data: { userId: string } }).data;
  return { email, password, userId };
}

/** Signs in over HTTP: the status, and the headers a session write needs. */
export async function login(email: string, password: string) {
  const res = await fetch(`${origin}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const cookies = Object.fromEntries(
    res.headers.getSetCookie().map((c) => {
      const pair = c.split(";")[0]!;
      return [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
    }),
  );
  return {
    status: res.status,
    headers: { cookie: `wb_session=${cookies.wb_session}`, "x-csrf-token": cookies.wb_csrf ?? "" },
  };
}

/** The demo community's members, by the admin API. */
export async function members(): Promise<{ userId: string; email: string | null; role: string }[]> {
  const res = await fetch(`${origin}/api/v1/communities/${communityId}/members`, {
    headers: { authorization: adminKey },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: { userId: string; email: string | null; role: string }[] }).data;
}
