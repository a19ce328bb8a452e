import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { afterAll, beforeAll, expect, it } from "vitest";
import { devMailBanner, devMailReader } from "../../scripts/dev-mail.ts";
import { applyMigrations } from "../../scripts/local.ts";

let mf: Miniflare;
let db: Awaited<ReturnType<Miniflare["getD1Database"]>>;
beforeAll(async () => {
  // The same local D1 `npm start` runs (Miniflare, options in the v4 shape local.ts also uses).
  mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: "export default { fetch: () => new Response('') }",
      d1Databases: ["DB"],
    } as never),
  );
  db = await mf.getD1Database("DB");
  await applyMigrations(db);
}, 60_000);
afterAll(() => mf?.dispose());

const mail = (to: string, at: number) =>
  db
    .prepare(
      "INSERT INTO dev_mailbox (id, to_address, subject, text, created_at) VALUES (?, ?, 'Hi', 'Open http://x/y', ?)",
    )
    .bind(crypto.randomUUID(), to, at)
    .run();

it("npm start prints each new local mail once, under a 'not sent' banner, and nothing from before it started", async () => {
  const start = Date.now();
  await mail("old@waddlebot.test", start - 1000);
  const read = devMailReader(db, start);
  expect(await read()).toEqual([]);
  await mail("a@waddlebot.test", start + 5);
  await mail("b@waddlebot.test", start + 5);
  expect((await read()).map((m) => m.to).sort()).toEqual(["a@waddlebot.test", "b@waddlebot.test"]);
  expect(await read()).toEqual([]);
  await mail("c@waddlebot.test", start + 5); // the same millisecond as the last ones
  const [c] = await read();
  expect(c?.to).toBe("c@waddlebot.test");
  const banner = devMailBanner(c!);
  expect(banner).toContain("MAIL NOT SENT");
  expect(banner).toContain("To:      c@waddlebot.test");
  expect(banner).toContain("Open http://x/y");
});
