import { describe, expect, it } from "vitest";
import { createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";
import { signedIn } from "./helpers.ts";

const createKey = (headers: Record<string, string>) =>
  call("/api/v1/keys", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ name: "k" }),
  });

describe("CSRF protection on cookie-authenticated writes", () => {
  it("refuses a write with the session cookie but no X-CSRF-Token (403)", async () => {
    const user = await signedIn();
    const res = await createKey({ cookie: user.cookie });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ message: expect.stringContaining("CSRF") });
  });

  it("refuses a wrong token, and another session's token", async () => {
    const user = await signedIn();
    const other = await signedIn();
    expect((await createKey({ cookie: user.cookie, "x-csrf-token": "0".repeat(64) })).status).toBe(403);
    expect((await createKey({ cookie: user.cookie, "x-csrf-token": other.csrf })).status).toBe(403);
  });

  it("refuses the right token from a foreign Origin", async () => {
    const user = await signedIn();
    const res = await createKey({ cookie: user.cookie, "x-csrf-token": user.csrf, origin: "https://evil.example" });
    expect(res.status).toBe(403);
  });

  it("accepts the right token from the portal's origin", async () => {
    const user = await signedIn();
    const res = await createKey({ cookie: user.cookie, "x-csrf-token": user.csrf, origin: "http://127.0.0.1:8787" });
    expect(res.status).toBe(201);
  });

  it("does not ask API-key callers for a CSRF token", async () => {
    const { authorization } = await createUserWithKey({});
    expect((await createKey({ authorization })).status).toBe(201);
  });

  it("reads (GET) need no token", async () => {
    const user = await signedIn();
    expect((await call("/api/v1/keys", { headers: { cookie: user.cookie } })).status).toBe(200);
  });
});
