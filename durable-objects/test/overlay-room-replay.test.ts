import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { REPLAY_MAX_AGE_MS, REPLAY_MAX_MESSAGES } from "../overlay-room.ts";
import { connect, freshRoom } from "./overlay-socket.ts";

describe("OverlayRoom: sequence numbers and resume", () => {
  it("numbers messages room-wide, in publish order", async () => {
    const stub = freshRoom();
    const seqs = [];
    for (const type of ["ticker", "media", "ticker", "general"] as const) seqs.push((await stub.publish(type, {})).seq);
    expect(seqs).toEqual([1, 2, 3, 4]);
  });

  it("replays exactly what a page missed while away, even across eviction of the object", async () => {
    const stub = freshRoom();
    const first = await connect(stub, "type=ticker");
    await first.take(1);
    await stub.publish("ticker", { text: "one" });
    const [seen] = await first.take(1);
    first.ws.close(1000);
    await first.closed;

    await evictDurableObject(stub, { webSockets: "close" });
    await stub.publish("ticker", { text: "two" });
    await stub.publish("media", { title: "not for the ticker" });
    await stub.publish("ticker", { text: "three" });
    await evictDurableObject(stub, { webSockets: "close" });

    const again = await connect(stub, `type=ticker&since=${seen.seq}`);
    const [hello, ...missed] = await again.take(3);
    expect(hello).toMatchObject({ op: "hello", seq: 4, reset: false });
    expect(missed.map((f) => [f.seq, f.data.text])).toEqual([
      [2, "two"],
      [4, "three"],
    ]);
    // Nothing else follows the replay until something new is published.
    await stub.publish("ticker", { text: "four" });
    expect((await again.take(1))[0]).toMatchObject({ seq: 5, data: { text: "four" } });
  });

  it("gives a first load the current media and general state, but no old ticker alerts", async () => {
    const stub = freshRoom();
    await stub.publish("media", { title: "Old song" });
    await stub.publish("media", { title: "Now playing" });
    await stub.publish("ticker", { text: "old alert" });
    const media = await connect(stub, "type=media");
    const ticker = await connect(stub, "type=ticker");
    expect(await media.take(2)).toMatchObject([
      { op: "hello", seq: 3 },
      { seq: 2, data: { title: "Now playing" } },
    ]);
    expect(await ticker.take(1)).toMatchObject([{ op: "hello", seq: 3 }]);
    await stub.publish("ticker", { text: "new" });
    expect((await ticker.take(1))[0]).toMatchObject({ seq: 4, data: { text: "new" } });
  });

  it("treats a page that claims a sequence ahead of the room as a first load (reset)", async () => {
    const stub = freshRoom();
    await stub.publish("general", { html: "<p>current</p>" });
    const socket = await connect(stub, "type=general&since=99");
    expect(await socket.take(2)).toMatchObject([
      { op: "hello", seq: 1, reset: true },
      { seq: 1, data: { html: "<p>current</p>" } },
    ]);
  });
});

describe("OverlayRoom: the replay window is bounded", () => {
  it(`keeps at most ${REPLAY_MAX_MESSAGES} messages`, async () => {
    const stub = freshRoom();
    for (let i = 0; i < REPLAY_MAX_MESSAGES + 5; i++) await stub.publish("ticker", { text: `m${i}` });
    const kept = await runInDurableObject(stub, (_, state) =>
      state.storage.sql.exec<{ n: number; low: number }>("SELECT count(*) AS n, min(seq) AS low FROM messages").one(),
    );
    expect(kept).toEqual({ n: REPLAY_MAX_MESSAGES, low: 6 });
  });

  it("prunes messages older than the window by alarm; media still resumes to its latest state", async () => {
    const stub = freshRoom();
    const longAgo = Date.now() - REPLAY_MAX_AGE_MS - 1_000;
    await stub.publish("ticker", { text: "stale" }, longAgo);
    await stub.publish("media", { title: "Long song" }, longAgo);
    await stub.publish("ticker", { text: "fresh" });
    expect(await runDurableObjectAlarm(stub)).toBe(true);

    const ticker = await connect(stub, "type=ticker&since=0");
    expect(await ticker.take(2)).toMatchObject([{ op: "hello", seq: 3, oldestSeq: 3 }, { seq: 3 }]);
    const media = await connect(stub, "type=media&since=0");
    expect(await media.take(2)).toMatchObject([{ op: "hello" }, { seq: 2, data: { title: "Long song" } }]);
    // The next alarm is when the remaining message leaves the window.
    const alarm = await runInDurableObject(stub, (_, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThan(Date.now() + REPLAY_MAX_AGE_MS - 60_000);
  });
});
