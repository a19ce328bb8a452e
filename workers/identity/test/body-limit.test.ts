import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { chunked } from "../../../test/workerd/chunked.ts";
import { call } from "../../../test/workerd/self.ts";
import { createPortalUser, freshIp } from "./helpers.ts";

const KiB = 1024;
const sessionsOf = async (userId: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE user_id = ?").bind(userId).first<{ n: number }>())!.n;

describe("the identity API's body cap", () => {
  // Correct credentials, padded past 64 KiB: without the cap the login would succeed.
  const padded = (email: string, password: string) => JSON.stringify({ email, password, pad: "x".repeat(65 * KiB) });
  const headers = () => ({ "content-type": "application/json", "cf-connecting-ip": freshIp() });

  it("answers 413 with the envelope for a Content-Length over 64 KiB, and signs nobody in", async () => {
    const user = await createPortalUser();
    const res = await call("/api/v1/auth/login", {
      method: "POST",
      headers: headers(),
      body: padded(user.email, user.password),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      success: false,
      data: null,
      message: expect.stringMatching(/65536 bytes/),
    });
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await sessionsOf(user.id)).toBe(0);
  });

  it("answers 413 for a chunked body with no Content-Length that streams past 64 KiB", async () => {
    const user = await createPortalUser();
    const init = {
      method: "POST",
      headers: headers(),
      body: chunked(padded(user.email, user.password)),
      duplex: "half",
    };
    const res = await call("/api/v1/auth/login", init as RequestInit);
    expect(res.status).toBe(413);
    expect(await sessionsOf(user.id)).toBe(0);
  });

  it("still signs in with a normal body, streamed", async () => {
    const user = await createPortalUser();
    const body = chunked(JSON.stringify({ email: user.email, password: user.password }));
    const res = await call("/api/v1/auth/login", {
      method: "POST",
      headers: headers(),
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(200);
    expect(await sessionsOf(user.id)).toBe(1);
  });
});
