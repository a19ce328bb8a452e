import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../../../test/workerd/self.ts";
import { app } from "../src/app.ts";

const providers = async (vars: Record<string, string | undefined> = {}) => {
  const res = await app.fetch(
    new Request("http://worker.test/api/v1/auth/oauth/providers"),
    { ...env, ...vars },
    createExecutionContext(),
  );
  expect(res.status).toBe(200);
  return (await res.json<{ data: Record<string, boolean> }>()).data;
};

describe("which platform logins are enabled", () => {
  it("answers without a session: every login with credentials is on", async () => {
    const res = await call("/api/v1/auth/oauth/providers");
    expect(res.status).toBe(200);
    expect(await providers()).toEqual({ discord: true, twitch: true, slack: true });
  });

  it("a platform without its client secret is off, and its start answers 404 instead of raw JSON to follow", async () => {
    expect(await providers({ TWITCH_CLIENT_SECRET: undefined, SLACK_CLIENT_ID: "" })).toEqual({
      discord: true,
      twitch: false,
      slack: false,
    });
    const start = await app.fetch(
      new Request("http://worker.test/api/v1/auth/oauth/twitch/start"),
      { ...env, TWITCH_CLIENT_SECRET: undefined },
      createExecutionContext(),
    );
    expect(start.status).toBe(404);
  });
});
