import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";
import { signedInSession } from "../../../test/workerd/sessions.ts";
import { api, chat } from "./support/router.ts";

type Results = { results: { eventId: string; status: string; replies: { text?: string }[] }[] };

describe("POST /api/v1/events/batch", () => {
  it("processes up to 100 events and answers one result per event, in order", async () => {
    const community = await createCommunity();
    const { authorization } = await createUserWithKey({ serviceRole: "trigger" });
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
    const { authorization } = await createUserWithKey({ serviceRole: "trigger" });
    const events = Array.from({ length: 101 }, () => chat(community, "!ping"));
    const res = await api<{ path: (string | number)[] }[]>("POST", "/api/v1/events/batch", authorization, { events });
    expect(res.status).toBe(400);
    expect(res.data[0]?.path).toEqual(["events"]);
  });

  it("refuses an empty batch and an invalid event with 400", async () => {
    const community = await createCommunity();
    const { authorization } = await createUserWithKey({ serviceRole: "trigger" });
    expect((await api("POST", "/api/v1/events/batch", authorization, { events: [] })).status).toBe(400);
    const bad = { ...chat(community, "!ping"), receivedAt: "yesterday" };
    expect((await api("POST", "/api/v1/events/batch", authorization, { events: [bad] })).status).toBe(400);
  });

  it("answers a global admin's key only when it names events:ingest, and core/trigger service accounts", async () => {
    const community = await createCommunity();
    const events = [chat(community, "!ping")];
    const adminIngest = await createUserWithKey({ globalRole: "admin", scopes: ["events:ingest"] });
    const core = await createUserWithKey({ serviceRole: "core" });
    for (const caller of [adminIngest, core]) {
      expect((await api("POST", "/api/v1/events/batch", caller.authorization, { events })).status).toBe(200);
    }
  });

  it("refuses every caller without the events:ingest service scope with 403, before reading the events", async () => {
    const community = await createCommunity();
    const events = [chat(community, "!ping")];
    const refused = {
      "community owner": await createUserWithKey({ communityId: community.id, role: "owner" }),
      // A global admin's unscoped and `*` keys act as the admin, and the admin alone may not ingest.
      "global admin, unscoped key": await createUserWithKey({ globalRole: "admin" }),
      "global admin, * key": await createUserWithKey({ globalRole: "admin", scopes: ["*"] }),
      "global admin, commands:* key": await createUserWithKey({ globalRole: "admin", scopes: ["commands:*"] }),
      "non-admin key naming events:ingest": await createUserWithKey({ scopes: ["events:ingest"] }),
      "action service account": await createUserWithKey({ serviceRole: "action" }),
      "trigger key scoped to something else": await createUserWithKey({
        serviceRole: "trigger",
        scopes: ["commands:read"],
      }),
    };
    const answers = Object.fromEntries(
      await Promise.all(
        Object.entries(refused).map(async ([who, caller]) => [
          who,
          (await api("POST", "/api/v1/events/batch", caller.authorization, { events })).status,
        ]),
      ),
    );
    expect(answers).toEqual(Object.fromEntries(Object.keys(refused).map((who) => [who, 403])));
    expect((await api("POST", "/api/v1/events/batch", "Bearer nope", { events: [] })).status).toBe(401);
  });

  it("refuses a global admin's portal session with 403 (a session never carries the service scope)", async () => {
    const community = await createCommunity();
    const admin = await signedInSession({ globalRole: "admin" });
    const res = await call("/api/v1/events/batch", {
      method: "POST",
      headers: admin.write,
      body: JSON.stringify({ events: [chat(community, "!ping")] }),
    });
    expect(res.status).toBe(403);
  });
});
