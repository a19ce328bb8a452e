/** Helpers for the simulate tests: a community with a moderator's key, and one-row SQL reads. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { createCommunity, createUserWithKey } from "../../../../test/workerd/fixtures.ts";
import { api } from "./router.ts";

export type Sim = {
  status: string;
  simulated: true;
  user: { id: string; username: string };
  replies: { type: string; text?: string; data?: Record<string, unknown> }[];
  actions: { type: string }[];
  wouldDo: string[];
  execution: { command: string; engine: string; status: string } | null;
};

/** A community and a moderator (the least role allowed to simulate) with an API key. */
export async function simSetup(role: "admin" | "moderator" = "moderator") {
  const community = await createCommunity();
  const moderator = await createUserWithKey({ communityId: community.id, role });
  const base = `/api/v1/communities/${community.id}`;
  const admin = await createUserWithKey({ communityId: community.id, role: "admin" });
  const simulate = (body: Record<string, unknown>) =>
    api<Sim>("POST", `${base}/simulate`, moderator.authorization, body);
  return {
    community,
    moderator,
    base,
    /** POST /simulate as the moderator. */
    simulate,
    /** POST /simulate, expecting a 200 with this outcome status; returns the answer. */
    async simulateOk(body: Record<string, unknown>, status = "processed"): Promise<Sim> {
      const res = await simulate(body);
      expect(res.status, JSON.stringify(res)).toBe(200);
      expect(res.data.status).toBe(status);
      return res.data;
    },
    /** An admin API call (commands, rules, cooldowns) as the community's admin. */
    admin: <T = unknown>(method: string, path: string, body?: unknown) =>
      api<T>(method, `${base}${path}`, admin.authorization, body),
  };
}

/** One number from D1 (`SELECT count(*) AS n …`). */
export async function count(sql: string, ...binds: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
