import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { api, chat } from "./support/router.ts";

type Results = { results: { eventId: string; status: string; replies: { text?: string }[] }[] };

describe("POST /api/v1/events/batch", () => {
  it("processes up to 100 events and answers one result per event, in order", async () => {
    const community = await createCommunity();
    const { authorization } = await createUserWithKey({ globalRole: "admin" });
    const events = Array.from({ length: 100 }, (_, i) =>
      chat(community, i % 2 ? "!ping" : "just chatting", { id: `b${i}` }),
    );
    const res = await api<Results>("POST", "/api/v1/events/batch", authorization, { events });
    expect(res.status).toBe(200);
    expect(res.data.results.map((r) => r.eventId)).toEqual(events.map((e) => e.id));
    expect(res.data.results.filter((r) => r.status === "processed")).toHaveLength(50);
    expect(res.data.results[1]?.replies).toEqual([{ type: "chat", text: "pong" }]);
  });

  it("refuses 101 events with 400", async () => {
    const community = await createCommunity();
    const { authorization } = await createUserWithKey({ globalRole: "admin" });
    const events = Array.from({ length: 101 }, () => chat(community, "!ping"));
    const res = await api<{ path: (string | number)[] }[]>("POST", "/api/v1/events/batch", authorization, { events });
    expect(res.status).toBe(400);
    expect(res.data[0]?.path).toEqual(["events"]);
  });

  it("refuses an empty batch and an invalid event with 400", async () => {
    const community = await createCommunity();
    const { authorization } = await createUserWithKey({ globalRole: "admin" });
    expect((await api("POST", "/api/v1/events/batch", authorization, { events: [] })).status).toBe(400);
    const bad = { ...chat(community, "!ping"), receivedAt: "yesterday" };
    expect((await api("POST", "/api/v1/events/batch", authorization, { events: [bad] })).status).toBe(400);
  });

  it("is for global admins only", async () => {
    const community = await createCommunity();
    const owner = await createUserWithKey({ communityId: community.id, role: "owner" });
    const res = await api("POST", "/api/v1/events/batch", owner.authorization, { events: [chat(community, "!ping")] });
    expect(res.status).toBe(403);
    expect((await api("POST", "/api/v1/events/batch", "Bearer nope", { events: [] })).status).toBe(401);
  });
});
