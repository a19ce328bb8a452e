import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { chunked } from "../../../test/workerd/chunked.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";

const KiB = 1024;

const commandCount = async (communityId: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM commands WHERE community_id = ?")
    .bind(communityId)
    .first<{ n: number }>())!.n;

async function communityAdmin() {
  const community = await createCommunity();
  const { authorization } = await createUserWithKey({ communityId: community.id, role: "admin" });
  return { community, headers: { authorization, "content-type": "application/json" } };
}

describe("the router's API body cap", () => {
  // Valid JSON padded past 64 KiB with a field the route would otherwise ignore or refuse.
  const oversized = (name: string) => JSON.stringify({ name, response: "hi", pad: "x".repeat(65 * KiB) });

  it("answers 413 with the envelope for a declared Content-Length over 64 KiB; nothing is written", async () => {
    const { community, headers } = await communityAdmin();
    const res = await call(`/api/v1/communities/${community.id}/commands`, {
      method: "POST",
      headers,
      body: oversized("big"),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      success: false,
      data: null,
      message: expect.stringMatching(/65536 bytes/),
    });
    expect(await commandCount(community.id)).toBe(0);
  });

  it("answers 413 for a chunked body with no Content-Length that streams past 64 KiB; nothing is written", async () => {
    const { community, headers } = await communityAdmin();
    const request = new Request(`http://worker.test/api/v1/communities/${community.id}/commands`, {
      method: "POST",
      headers,
      body: chunked(oversized("streamed")),
      duplex: "half",
    } as RequestInit);
    expect(request.headers.get("content-length")).toBeNull();
    const res = await call(new URL(request.url).pathname, request);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ success: false });
    expect(await commandCount(community.id)).toBe(0);
  });

  it("refuses oversized bodies on identity paths served by the router too", async () => {
    const { headers } = await communityAdmin();
    const res = await call("/api/v1/keys", {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "x".repeat(65 * KiB) }),
    });
    expect(res.status).toBe(413);
  });

  it("still takes a small body, streamed or not", async () => {
    const { community, headers } = await communityAdmin();
    const path = `/api/v1/communities/${community.id}/commands`;
    const body = JSON.stringify({ name: "small", response: "hello" });
    expect((await call(path, { method: "POST", headers, body })).status).toBe(201);
    const streamed = {
      method: "POST",
      headers,
      body: chunked(JSON.stringify({ name: "small2", response: "hi" })),
      duplex: "half",
    };
    expect((await call(path, streamed as RequestInit)).status).toBe(201);
    expect(await commandCount(community.id)).toBe(2);
  });

  it("lets overlay messages carry more than 64 KiB (album art as a data: URL), up to 128 KiB", async () => {
    const { community, headers } = await communityAdmin();
    const path = `/api/v1/communities/${community.id}/overlays/media/messages`;
    // As large as the schema lets art be (64 KiB of URL), so the whole body is over 64 KiB.
    const art = `data:image/png;base64,${"A".repeat(65_512)}`;
    const body = JSON.stringify({ title: "Song", artist: "Band", artUrl: art });
    expect(body.length).toBeGreaterThan(64 * KiB);
    const res = await call(path, { method: "POST", headers, body });
    expect(res.status).toBe(201);
    const tooBig = JSON.stringify({ title: "Song", artUrl: `data:image/png;base64,${"A".repeat(129 * KiB)}` });
    expect((await call(path, { method: "POST", headers, body: tooBig })).status).toBe(413);
  });
});
