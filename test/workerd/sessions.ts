/**
 * A signed-in portal session for tests of any worker that serves /api/v1/auth/login (the
 * identity worker, or the router through its identity proxy): a real login over HTTP.
 */
import { env } from "cloudflare:workers";
import { hashPassword } from "../../lib/crypto/password.ts";
import { createDb } from "../../lib/db/client.ts";
import { type CommunityRole, communityMembers, type GlobalRole, users } from "../../lib/db/schema/index.ts";
import { call } from "./self.ts";

const short = () => crypto.randomUUID().slice(0, 8);

export async function signedInSession(opts: { globalRole?: GlobalRole; communityId?: string; role?: CommunityRole }) {
  const userId = crypto.randomUUID();
  const email = `s-${short()}@waddlebot.test`;
  const password = `pw-${short()}-${short()}`;
  await createDb(env.DB)
    .insert(users)
    .values({
      id: userId,
      email,
      passwordHash: await hashPassword(password),
      displayName: `Session ${short()}`,
      globalRole: opts.globalRole ?? "user",
    });
  if (opts.communityId && opts.role) {
    await createDb(env.DB).insert(communityMembers).values({ communityId: opts.communityId, userId, role: opts.role });
  }
  const ip = `10.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 254) + 1}`;
  const res = await call("/api/v1/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": ip },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookies = Object.fromEntries(
    res.headers.getSetCookie().map((l) => {
      const pair = l.split(";")[0]!;
      const at = pair.indexOf("=");
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
  const cookie = `wb_session=${cookies.wb_session}; wb_csrf=${cookies.wb_csrf}`;
  return {
    userId,
    /** Headers for a state-changing request, as the portal sends them (cookie + CSRF token). */
    write: { cookie, "x-csrf-token": cookies.wb_csrf!, "content-type": "application/json" },
    read: { cookie },
  };
}
