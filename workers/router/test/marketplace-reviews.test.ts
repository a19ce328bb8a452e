import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { communityWithAdmin, createAuthor, install, publishWebhookModule } from "./support/marketplace.ts";
import { api } from "./support/router.ts";

const review = (auth: string, name: string, body: unknown) =>
  api("POST", `/api/v1/marketplace/modules/${name}/reviews`, auth, body);

async function installedModule() {
  const author = await createAuthor();
  const mod = await publishWebhookModule(author.authorization, [`r${crypto.randomUUID().slice(0, 6)}`]);
  const c = await communityWithAdmin();
  expect((await install(c.community.id, c.authorization, { module: mod.name })).status).toBe(201);
  const member = await createUserWithKey({ communityId: c.community.id, role: "member" });
  return { author, mod, c, member };
}

describe("module reviews", () => {
  it("takes one review per member of a community that has it (a second is 409), editable, answered by the author", async () => {
    const { author, mod, member } = await installedModule();
    const first = await review(member.authorization, mod.name, { rating: 4, text: "Nice fish" });
    expect(first.status).toBe(201);
    expect((await review(member.authorization, mod.name, { rating: 5 })).status).toBe(409);
    const edited = await api<{ rating: number }>(
      "PATCH",
      `/api/v1/marketplace/modules/${mod.name}/reviews/mine`,
      member.authorization,
      { rating: 2, text: "meh" },
    );
    expect(edited.data.rating).toBe(2);
    const id = (first.data as { id: string }).id;
    const stranger = await createAuthor();
    expect(
      (
        await api("POST", `/api/v1/marketplace/modules/${mod.name}/reviews/${id}/reply`, stranger.authorization, {
          text: "hi",
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await api("POST", `/api/v1/marketplace/modules/${mod.name}/reviews/${id}/reply`, author.authorization, {
          text: "Thanks!",
        })
      ).status,
    ).toBe(200);
    const list = await api<{ average: number; count: number; items: { reply: string }[] }>(
      "GET",
      `/api/v1/marketplace/modules/${mod.name}/reviews`,
      member.authorization,
    );
    expect(list.data).toMatchObject({ average: 2, count: 1 });
    expect(list.data.items[0]?.reply).toBe("Thanks!");
    const detail = await api<{ rating: number; reviews: number }>(
      "GET",
      `/api/v1/marketplace/modules/${mod.name}`,
      member.authorization,
    );
    expect(detail.data).toMatchObject({ rating: 2, reviews: 1 });
  });

  it("refuses reviews from outside (403), from the author (403) and out-of-range ratings (400); stores none", async () => {
    const { author, mod } = await installedModule();
    const outsider = await createAuthor();
    expect((await review(outsider.authorization, mod.name, { rating: 5 })).status).toBe(403);
    expect((await review(author.authorization, mod.name, { rating: 5 })).status).toBe(403);
    const count = await env.DB.prepare(
      "SELECT count(*) AS n FROM module_reviews r JOIN modules m ON m.id = r.module_id WHERE m.name = ?",
    )
      .bind(mod.name)
      .first<{ n: number }>();
    expect(count?.n).toBe(0);
  });

  it("answers 400 for a rating outside 1–5 from a member", async () => {
    const { mod, member } = await installedModule();
    for (const rating of [0, 6, 3.5, "5"])
      expect((await review(member.authorization, mod.name, { rating })).status).toBe(400);
  });
});

describe("module usage analytics", () => {
  async function executions(
    communityId: string,
    moduleId: string,
    durations: number[],
    user = "u1",
    status = "success",
  ) {
    for (const d of durations)
      await env.DB.prepare(
        "INSERT INTO command_executions (id, community_id, event_id, platform, user_id, command, module_id, engine, status, duration_ms, simulated, created_at) VALUES (?, ?, ?, 'discord', ?, '!x', ?, 'webhook', ?, ?, 0, ?)",
      )
        .bind(crypto.randomUUID(), communityId, crypto.randomUUID(), user, moduleId, status, d, Date.now())
        .run();
  }

  it("gives the author executions, errors, p50/p95 and unique users across communities; a community only its own", async () => {
    const { author, mod, c } = await installedModule();
    const moduleId = (await env.DB.prepare("SELECT id FROM modules WHERE name = ?")
      .bind(mod.name)
      .first<{ id: string }>())!.id;
    const other = await communityWithAdmin();
    await install(other.community.id, other.authorization, { module: mod.name });
    await executions(
      c.community.id,
      moduleId,
      Array.from({ length: 20 }, (_, i) => (i + 1) * 10),
      "alice",
    );
    await executions(c.community.id, moduleId, [5000], "bob", "timeout");
    await executions(other.community.id, moduleId, [1, 2, 3], "carol");
    await executions(other.community.id, moduleId, [9], "sim:x", "denied");
    const mine = await api<{
      totals: { executions: number; errors: number; uniqueUsers: number };
      days: { p50Ms: number; p95Ms: number }[];
    }>("GET", `/api/v1/communities/${c.community.id}/installations/${mod.name}/analytics`, c.authorization);
    expect(mine.status).toBe(200);
    expect(mine.data.totals).toEqual({ executions: 21, errors: 1, uniqueUsers: 2 });
    expect(mine.data.days[0]).toMatchObject({ p50Ms: 110, p95Ms: 200 });
    const all = await api<{ totals: { executions: number; uniqueUsers: number }; installations: number }>(
      "GET",
      `/api/v1/marketplace/modules/${mod.name}/analytics`,
      author.authorization,
    );
    expect(all.data.totals).toMatchObject({ executions: 24, uniqueUsers: 3 });
    expect(all.data.installations).toBe(2);
    expect(JSON.stringify(all.data)).not.toMatch(/alice|bob|carol|community/);
    // Someone else's module, and a community's view of a module it has not installed.
    expect((await api("GET", `/api/v1/marketplace/modules/${mod.name}/analytics`, c.authorization)).status).toBe(403);
    const third = await communityWithAdmin();
    expect(
      (
        await api(
          "GET",
          `/api/v1/communities/${third.community.id}/installations/${mod.name}/analytics`,
          third.authorization,
        )
      ).status,
    ).toBe(404);
  });
});
