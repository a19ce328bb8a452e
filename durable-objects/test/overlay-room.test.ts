import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SocketState } from "../overlay-room.ts";
import { connect, freshRoom } from "./overlay-socket.ts";

describe("OverlayRoom: accepting pages", () => {
  it("accepts a WebSocket upgrade and greets the page with the room's head", async () => {
    const socket = await connect(freshRoom(), "type=ticker");
    const [hello] = await socket.take(1);
    expect(hello).toEqual({ op: "hello", type: "ticker", seq: 0, oldestSeq: null, reset: false });
  });

  it("refuses a request that is not a WebSocket upgrade with 426", async () => {
    const res = await freshRoom().fetch("https://overlay-room/connect?type=ticker");
    expect(res.status).toBe(426);
  });

  it("refuses an unknown overlay type or a negative since with 400", async () => {
    const headers = { Upgrade: "websocket" };
    expect((await freshRoom().fetch("https://overlay-room/connect?type=chat", { headers })).status).toBe(400);
    expect((await freshRoom().fetch("https://overlay-room/connect?type=media&since=-1", { headers })).status).toBe(400);
  });

  it("tags each socket with its overlay type, so a publish reaches only pages of that type", async () => {
    const stub = freshRoom();
    const ticker = await connect(stub, "type=ticker");
    const media = await connect(stub, "type=media");
    await ticker.take(1);
    await media.take(1);
    expect(await stub.publish("ticker", { text: "hello" })).toEqual({ seq: 1, delivered: 1 });
    expect(await stub.publish("media", { title: "Song" })).toEqual({ seq: 2, delivered: 1 });
    expect((await ticker.take(1))[0]).toMatchObject({ op: "msg", seq: 1, type: "ticker", data: { text: "hello" } });
    // The media page's next frame is the media message: it never saw the ticker one.
    expect((await media.take(1))[0]).toMatchObject({ op: "msg", seq: 2, type: "media", data: { title: "Song" } });
    const tags = await runInDurableObject(stub, (_, state) => state.getWebSockets().map((ws) => state.getTags(ws)));
    expect(tags.sort()).toEqual([["media"], ["ticker"]]);
  });

  it("keeps per-socket state in the attachment and lists connected pages", async () => {
    const stub = freshRoom();
    const socket = await connect(stub, "type=general&gen=3");
    await socket.take(1);
    await stub.publish("general", { html: "<p>hi</p>" });
    const attachments = await runInDurableObject(stub, (_, state) =>
      state.getWebSockets("general").map((ws) => ws.deserializeAttachment() as SocketState),
    );
    // The attachment is written once, at connect (lastSeq then: 0); the listing adds what was sent since.
    expect(attachments).toEqual([
      { id: expect.any(String), type: "general", gen: 3, connectedAt: expect.any(Number), lastSeq: 0 },
    ]);
    const clients = await stub.listClients();
    expect(clients).toEqual([{ ...attachments[0], lastSeq: 1, lastPingAt: null }]);
    expect(await stub.counts()).toEqual({ ticker: 0, media: 0, general: 1 });
  });
});

describe("OverlayRoom: hibernation", () => {
  it("still delivers to its sockets after the object is evicted, with attachments intact", async () => {
    const stub = freshRoom();
    const socket = await connect(stub, "type=ticker&gen=2");
    await socket.take(1);
    await evictDurableObject(stub); // sockets hibernate; in-memory state is gone
    expect(await stub.publish("ticker", { text: "after eviction" })).toEqual({ seq: 1, delivered: 1 });
    expect((await socket.take(1))[0]).toMatchObject({ seq: 1, data: { text: "after eviction" } });
    const [client] = await stub.listClients();
    expect(client).toMatchObject({ type: "ticker", gen: 2, lastSeq: 1 });
  });
});

describe("OverlayRoom: heartbeats and closing", () => {
  it("answers the page's ping with pong (the runtime does, without waking the object)", async () => {
    const stub = freshRoom();
    const socket = await connect(stub, "type=media");
    await socket.take(1);
    socket.send("ping");
    expect(await socket.take(1)).toEqual(["pong"]);
    const [client] = await stub.listClients();
    expect(client?.lastPingAt).toEqual(expect.any(Number));
  });

  it("reciprocates a close without a status code (1005) with a normal close", async () => {
    const stub = freshRoom();
    const socket = await connect(stub, "type=ticker");
    await socket.take(1);
    socket.ws.close();
    expect((await socket.closed).code).toBeGreaterThanOrEqual(1000);
    expect(await stub.publish("ticker", { text: "nobody" })).toEqual({ seq: 1, delivered: 0 });
  });

  it("closes a socket whose heartbeat has been silent too long (code 4000)", async () => {
    const stub = freshRoom();
    const socket = await connect(stub, "type=ticker");
    await socket.take(1);
    // A publish seen from 100 s in the future: the socket never pinged, so it counts as dead.
    await stub.publish("ticker", { text: "late" }, Date.now() + 100_000);
    expect(await socket.closed).toMatchObject({ code: 4000 });
  });
});

describe("OverlayRoom: token rotation", () => {
  it("closes pages of an older token generation when the grace period ends, and no others", async () => {
    const stub = freshRoom();
    const old = await connect(stub, "type=ticker&gen=1");
    const current = await connect(stub, "type=ticker&gen=2");
    const media = await connect(stub, "type=media&gen=1");
    await Promise.all([old.take(1), current.take(1), media.take(1)]);

    const graceEnd = Date.now() + 300_000;
    await stub.retireGeneration("ticker", 2, graceEnd);
    expect(await runInDurableObject(stub, (_, state) => state.storage.getAlarm())).toBe(graceEnd);
    expect(await stub.counts()).toEqual({ ticker: 2, media: 1, general: 0 });

    await stub.retireGeneration("ticker", 2, Date.now()); // the grace period is over
    expect(await old.closed).toMatchObject({ code: 4001, reason: "token rotated" });
    expect(await stub.publish("ticker", { text: "still here" })).toEqual({ seq: 1, delivered: 1 });
    expect((await current.take(1))[0]).toMatchObject({ seq: 1 });
    expect(await stub.counts()).toEqual({ ticker: 1, media: 1, general: 0 });
  });
});
