/** Helpers for the identity tests: users with passwords, sessions, cookie-carrying requests. */
import { env, exports } from "cloudflare:workers";
import type { Credentials } from "../../../lib/auth/hono.ts";
import type { Principal } from "../../../lib/auth/permissions.ts";
import { hashPassword } from "../../../lib/crypto/password.ts";
import { createDb } from "../../../lib/db/client.ts";
import { type GlobalRole, users } from "../../../lib/db/schema/index.ts";
import type { IdentityRpc } from "../../../lib/rpc.ts";
import { call } from "../../../test/workerd/self.ts";

/** The identity worker's RPC surface, as the router reaches it through its service binding. */
export const identityRpc = (exports as unknown as { default: IdentityRpc }).default;
export type { Credentials, Principal };

export const short = () => crypto.randomUUID().slice(0, 8);
/** A fresh client IP per test, so failed-login windows never leak between tests. */
export const freshIp = () =>
  `10.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 254) + 1}`;

/** A portal user with an email and password. */
export async function createPortalUser(opts: { globalRole?: GlobalRole; password?: string } = {}) {
  const id = crypto.randomUUID();
  const email = `p-${short()}@waddlebot.test`;
  const password = opts.password ?? `pw-${short()}-${short()}`;
  await createDb(env.DB)
    .insert(users)
    .values({
      id,
      email,
      passwordHash: await hashPassword(password),
      displayName: `Portal ${short()}`,
      globalRole: opts.globalRole ?? "user",
    });
  return { id, email, password };
}

export const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

/** Reads the Set-Cookie values of a response into name → value. */
export function cookiesOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair!.indexOf("=");
    out[pair!.slice(0, eq)] = pair!.slice(eq + 1);
  }
  return out;
}

/** Signs in over HTTP; returns the cookie header and CSRF token a browser would hold. */
export async function login(email: string, password: string, ip = freshIp()) {
  const res = await call("/api/v1/auth/login", json({ email, password }, { "cf-connecting-ip": ip }));
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookies = cookiesOf(res);
  return {
    token: cookies.wb_session!,
    csrf: cookies.wb_csrf!,
    cookie: `wb_session=${cookies.wb_session}; wb_csrf=${cookies.wb_csrf}`,
    res,
  };
}

/** A signed-in portal user: cookie + CSRF headers ready for writes. */
export async function signedIn(opts: { globalRole?: GlobalRole } = {}) {
  const user = await createPortalUser(opts);
  const session = await login(user.email, user.password);
  return {
    ...user,
    ...session,
    /** Headers for a state-changing request, as the portal sends them. */
    write: { cookie: session.cookie, "x-csrf-token": session.csrf, "content-type": "application/json" },
    read: { cookie: session.cookie },
  };
}
