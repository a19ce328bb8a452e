import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { oauthStates, platformConnections } from "../../../lib/db/schema/index.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";
import { signedInSession } from "../../../test/workerd/sessions.ts";
import { claimState, issueState, STATE_TTL_MS } from "../src/connections/oauth-state.ts";

const db = () => createDb(env.DB);

async function ownerWithState(target: "slack" | "twitch" = "slack") {
  const c = await createCommunity();
  const s = await signedInSession({ communityId: c.id, role: "owner" });
  const started = await call(`/api/v1/communities/${c.id}/connections/${target}`, {
    method: "POST",
    headers: s.write,
  });
  expect(started.status).toBe(200);
  const url = new URL(((await started.json()) as { data: { authorizeUrl: string } }).data.authorizeUrl);
  return { c, s, state: url.searchParams.get("state")! };
}

describe("OAuth state: bound to the user, the community and the platform; single use; 10 minutes", () => {
  it("stores only the state's hash", async () => {
    const { state } = await ownerWithState();
    const rows = await db().select().from(oauthStates).all();
    expect(rows.some((r) => r.stateHash === state)).toBe(false);
    expect(rows.length).toBeGreaterThan(0);
  });

  it("is claimed once, only for its platform, and not after 10 minutes", async () => {
    const user = (await signedInSession({})).userId;
    const c = await createCommunity();
    const issued = await issueState(env, { userId: user, communityId: c.id, target: "slack" });
    expect(await claimState(env, issued, "twitch")).toBeNull();
    expect(await claimState(env, issued, "slack")).toEqual({ userId: user, communityId: c.id, verifier: null });
    expect(await claimState(env, issued, "slack")).toBeNull();

    const now = Date.now();
    const old = await issueState(env, { userId: user, communityId: c.id, target: "slack" }, now);
    expect(await claimState(env, old, "slack", now + STATE_TTL_MS + 1)).toBeNull();
  });

  it("keeps a PKCE verifier sealed with its state, bound to it: a Spotify state is no platform's", async () => {
    const user = (await signedInSession({})).userId;
    const c = await createCommunity();
    const verifier = "v".repeat(86);
    const issued = await issueState(env, { userId: user, communityId: c.id, target: "spotify", verifier });
    const [row] = await db().select().from(oauthStates).where(eq(oauthStates.communityId, c.id)).all();
    expect(row!.codeVerifier).toMatch(/^v1\./);
    expect(row!.codeVerifier).not.toContain(verifier);
    expect(await claimState(env, issued, "twitch")).toBeNull();
    expect(await claimState(env, issued, "spotify")).toEqual({ userId: user, communityId: c.id, verifier });
    expect(await claimState(env, issued, "spotify")).toBeNull();
    // A platform's state is refused at Spotify's callback (and the other way round).
    const slack = await issueState(env, { userId: user, communityId: c.id, target: "slack" });
    expect(await claimState(env, slack, "spotify")).toBeNull();
  });

  it("an expired state at the callback is a 400 and stores nothing", async () => {
    const { c, s } = await ownerWithState();
    const expired = await issueState(
      env,
      { userId: s.userId, communityId: c.id, target: "slack" },
      Date.now() - STATE_TTL_MS - 1,
    );
    const res = await call(`/connect/slack/callback?state=${expired}&code=code-slack-x`, {
      headers: { cookie: s.read.cookie },
    });
    expect(res.status).toBe(400);
    expect(await db().select().from(platformConnections).all()).toEqual([]);
  });

  it("without a session the callback is a 401 and the state is not spent", async () => {
    const { s, state } = await ownerWithState();
    expect((await call(`/connect/slack/callback?state=${state}&code=x`)).status).toBe(401);
    // Still valid for its owner: the platform then refuses the made-up code, back to the portal.
    const res = await call(`/connect/slack/callback?state=${state}&code=x`, {
      headers: { cookie: s.read.cookie },
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get("location")!).hash).toContain("error=");
    expect(await db().select().from(platformConnections).all()).toEqual([]);
  });

  it("someone else's session is a 400 and stores nothing", async () => {
    const { state } = await ownerWithState();
    const another = await signedInSession({});
    const res = await call(`/connect/slack/callback?state=${state}&code=x`, {
      headers: { cookie: another.read.cookie },
    });
    expect(res.status).toBe(400);
    expect(await db().select().from(platformConnections).all()).toEqual([]);
  });
});
