/** Shared bits of the calendar module's tests. */
import { env } from "cloudflare:workers";

export const scheduler = (communityId: string) =>
  env.MODULE_SCHEDULER.get(env.MODULE_SCHEDULER.idFromName(communityId));

/** The community's events as stored. */
export const rows = async (communityId: string) =>
  (
    await env.DB.prepare(
      "SELECT number, title, status, starts_at, ends_at FROM calendar_events WHERE community_id = ? ORDER BY number",
    )
      .bind(communityId)
      .all<{ number: number; title: string; status: string; starts_at: number; ends_at: number }>()
  ).results;

/** `YYYY-MM-DD HH:MM` in UTC, `ms` from now (rounded down to the minute). */
export const at = (ms: number) => new Date(Date.now() + ms).toISOString().slice(0, 16).replace("T", " ");
export const DAY = 86_400_000;
export const ADA = { id: "u-ada", username: "ada" };
export const BOB = { id: "u-bob", username: "bob" };
