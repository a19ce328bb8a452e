/** Helpers for the webhooks worker's tests: signed requests and the rows they leave. */
import { env } from "cloudflare:workers";
import type { PlatformConfig } from "../../lib/config.ts";
import { call } from "./self.ts";

type VarName =
  | "DISCORD_APPLICATION_ID"
  | "DISCORD_BOT_TOKEN"
  | "TEST_DISCORD_PRIVATE_KEY"
  | "TWITCH_EVENTSUB_SECRET"
  | "SLACK_SIGNING_SECRET"
  | "SLACK_BOT_TOKEN"
  | "RELAY_SHARED_SECRET";

/** The generated test settings (test/support/test-vars.ts) the webhooks worker runs with. */
export const vars = env as unknown as Record<VarName, string> & PlatformConfig;

/** POSTs a raw body with headers to the worker under test. */
export const post = (path: string, body: string, headers: Record<string, string>) =>
  call(path, { method: "POST", body, headers });

/** Audit rows of one action about one platform id. */
export async function auditRows(action: string, targetId: string) {
  const { results } = await env.DB.prepare("SELECT * FROM audit_log WHERE action = ? AND target_id = ?")
    .bind(action, targetId)
    .all<{ outcome: string; details: string }>();
  return results;
}

/** A community member's points, found by their platform identity; undefined when no row yet. */
export async function pointsOf(communityId: string, platform: string, platformUserId: string) {
  const row = await env.DB.prepare(
    `SELECT m.points AS points FROM community_members m JOIN user_identities i ON i.user_id = m.user_id
     WHERE m.community_id = ? AND i.platform = ? AND i.platform_user_id = ?`,
  )
    .bind(communityId, platform, platformUserId)
    .first<{ points: number }>();
  return row?.points;
}

/** n bytes of JSON-ish padding, for oversized bodies. */
export const oversized = (bytes: number) => JSON.stringify({ pad: "x".repeat(bytes) });
