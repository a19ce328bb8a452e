import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { childRoom, type RoomEnv, roomForSocket } from "../overlay-fanout.ts";
import { type Frame, TestSocket } from "./overlay-socket.ts";

const ns = () => env.OVERLAY_ROOM as RoomEnv["OVERLAY_ROOM"];

/** A community room with fan-out over `children` child rooms. */
function community(children = 3) {
  const communityId = crypto.randomUUID();
  const parentId = ns().idFromName(communityId);
  const room = ns().get(parentId);
  /** A page on child `index` (or the router's random pick), connected the way the router does it. */
  async function page(query: string, index?: number): Promise<TestSocket> {
    const url = new URL(`https://overlay-room/connect?${query}`);
    let stub = roomForSocket({ OVERLAY_ROOM: ns(), OVERLAY_CHILD_ROOMS: String(children) }, communityId, url);
    if (index !== undefined) {
      url.searchParams.set("child", String(index));
      stub = childRoom(ns(), parentId, index);
    }
    const res = await stub.fetch(new Request(url, { headers: { Upgrade: "websocket" } }));
    expect(res.status).toBe(101);
    return new TestSocket(res.webSocket!);
  }
  return { room, page, parentId };
}

const seqs = (frames: Frame[]) => frames.filter((f) => f.op === "msg").map((f) => f.seq);

describe("OverlayRoom fan-out through child rooms", () => {
  it("sends a page on a child the room's hello, and a publish reaches pages on every child", async () => {
    const { room, page, parentId } = community(3);
    await room.publish("ticker", { text: "before anyone" });
    const pages = [await page("type=ticker", 0), await page("type=ticker", 1), await page("type=ticker", 2)];
    for (const p of pages)
      expect(await p.take(1)).toEqual([{ op: "hello", type: "ticker", seq: 1, oldestSeq: 1, reset: false }]);
    expect(await room.publish("ticker", { text: "to all" })).toEqual({ seq: 2, delivered: 3 });
    for (const p of pages) expect(await p.take(1)).toMatchObject([{ op: "msg", seq: 2, data: { text: "to all" } }]);
    expect((await room.counts()).ticker).toBe(3);
    // The children hold only sockets: the log, and so the numbering, stay in the room.
    expect(await childRoom(ns(), parentId, 0).recent()).toEqual([]);
  });

  it("resumes a page that reconnects to another child with exactly what it missed", async () => {
    const { room, page } = community(3);
    const first = await page("type=ticker", 0);
    await first.take(1);
    await room.publish("ticker", { text: "one" });
    const [seen] = await first.take(1);
    first.ws.close(1000);
    await first.closed;
    await room.publish("ticker", { text: "two" });
    await room.publish("media", { title: "not for the ticker" });
    await room.publish("ticker", { text: "three" });

    const again = await page(`type=ticker&since=${seen.seq}`, 2);
    const [hello, ...missed] = await again.take(3);
    expect(hello).toMatchObject({ op: "hello", seq: 4, reset: false });
    expect(missed.map((f: Frame) => [f.seq, f.data.text])).toEqual([
      [2, "two"],
      [4, "three"],
    ]);
    await room.publish("ticker", { text: "four" });
    expect(await again.take(1)).toMatchObject([{ seq: 5, data: { text: "four" } }]);
    expect(again.peek()).toEqual([]);
  });

  it("gives pages that join while messages are being published every message once, in order", async () => {
    const { room, page } = community(4);
    // Publishes and joins interleave: some pages join between a publish and its delivery.
    const [pages] = await Promise.all([
      Promise.all(Array.from({ length: 24 }, () => page("type=ticker&since=0"))),
      Promise.all(Array.from({ length: 24 }, (_, i) => room.publish("ticker", { text: `m${i}` }))),
    ]);
    // since=0: each page must end up with seqs 1..24, whether it got them by replay or live.
    for (const p of pages) {
      const frames = await p.take(25);
      expect(frames[0].op).toBe("hello");
      expect(seqs(frames)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    }
  });

  it("holds a frame that reaches a child while a page's join is in flight, and sends it after the replay", async () => {
    const { room, page, parentId } = community(2);
    // Inside the room, with its input closed: the page's join waits there while the child gets
    // a frame; then the input opens and the join completes.
    const frames = await runInDurableObject(room, async (_, state) => {
      let joining!: Promise<TestSocket>;
      await state.blockConcurrencyWhile(async () => {
        joining = page("type=ticker&since=0", 0);
        const frame = { op: "msg" as const, seq: 1, type: "ticker" as const, data: { text: "in flight" }, at: 0 };
        await childRoom(ns(), parentId, 0).deliver(frame);
      });
      return (await joining).take(2);
    });
    expect(frames).toMatchObject([
      { op: "hello", seq: 0 },
      { op: "msg", seq: 1, data: { text: "in flight" } },
    ]);
  });

  it("does not send a page a frame its replay already gave it", async () => {
    const { room, page, parentId } = community(2);
    const one = await room.publish("ticker", { text: "one" });
    const socket = await page("type=ticker&since=0", 1);
    expect(seqs(await socket.take(2))).toEqual([1]);
    // The room's forward of seq 1 was still on its way when the page joined.
    const child = childRoom(ns(), parentId, 1);
    await child.deliver({ op: "msg", seq: one.seq, type: "ticker", data: { text: "one" }, at: Date.now() });
    await child.deliver({ op: "msg", seq: 2, type: "ticker", data: { text: "two" }, at: Date.now() });
    expect(await socket.take(1)).toMatchObject([{ seq: 2, data: { text: "two" } }]);
  });

  it("closes pages of a retired token generation on every child, and lists and disconnects them all", async () => {
    const { room, page } = community(2);
    const old0 = await page("type=ticker&gen=1", 0);
    const old1 = await page("type=ticker&gen=1", 1);
    const current = await page("type=ticker&gen=2", 1);
    for (const p of [old0, old1, current]) await p.take(1);
    expect((await room.listClients()).map((c) => c.gen).sort()).toEqual([1, 1, 2]);

    await room.retireGeneration("ticker", 2, Date.now() - 1);
    expect((await old0.closed).code).toBe(4001);
    expect((await old1.closed).code).toBe(4001);
    expect(await room.publish("ticker", { text: "still here" })).toMatchObject({ delivered: 1 });
    expect(await current.take(1)).toMatchObject([{ seq: 1 }]);

    expect(await room.disconnect("ticker")).toBe(1);
    expect((await current.closed).code).toBe(1012);
  });

  it("refuses a child connect without its index (or an index without the room) with 400", async () => {
    const { parentId } = community();
    const stub = childRoom(ns(), parentId, 0);
    const headers = { Upgrade: "websocket" };
    const parent = parentId.toString();
    expect((await stub.fetch(`https://overlay-room/connect?type=ticker&parent=${parent}`, { headers })).status).toBe(
      400,
    );
    expect((await stub.fetch("https://overlay-room/connect?type=ticker&child=0", { headers })).status).toBe(400);
    expect((await stub.fetch("https://overlay-room/connect?type=ticker&parent=zz&child=0", { headers })).status).toBe(
      400,
    );
  });
});
