/**
 * Callers for operational endpoints: a portal session cookie of a user with a given global
 * role (a real login through the identity worker), and the API key of a service account.
 * Rows go to the real D1 of the test file; every call makes fresh ids.
 */

import { env } from "cloudflare:workers";
import { hashPassword } from "../../lib/crypto/password.ts";
import { createDb } from "../../lib/db/client.ts";
import { type GlobalRole, type ServiceRole, users } from "../../lib/db/schema/index.ts";
import { createUserWithKey } from "./fixtures.ts";
import { call } from "./self.ts";

const short = () => crypto.randomUUID().slice(0, 8);

/** Signs a fresh user in through `POST /api/v1/auth/login`; returns the Cookie header value. */
export async function sessionCookie(globalRole: GlobalRole): Promise<string> {
  const email = `op-${short()}@waddlebot.test`;
  const password = `pw-${short()}`;
  await createDb(env.DB)
    .insert(users)
    .values({
      id: crypto.randomUUID(),
      email,
      passwordHash: await hashPassword(password),
      displayName: "Op",
      globalRole,
    });
  // The router and webhooks reach the identity worker by binding; the identity worker is `call`.
  const identity = (env as unknown as { IDENTITY?: Fetcher }).IDENTITY;
  const post = (path: string, init: RequestInit) =>
    identity ? identity.fetch(new Request(`http://identity.test${path}`, init)) : call(path, init);
  const login = await post("/api/v1/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": `10.7.${Math.floor(Math.random() * 250)}.1` },
    body: JSON.stringify({ email, password }),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
  return login.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
}

/** A service account with `role` and an API key acting as it; returns the Authorization value. */
export async function serviceKey(role: ServiceRole): Promise<string> {
  return (await createUserWithKey({ serviceRole: role })).authorization;
}
