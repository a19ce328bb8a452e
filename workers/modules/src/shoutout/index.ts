import { log } from "../../../../lib/log.ts";
import { PlatformError } from "../../../../lib/platforms/http.ts";
import { bareName, dry, escapeHtml, type FirstPartyModule, label, say } from "../kit.ts";
import { lookUp } from "./helix.ts";
import { manifest } from "./manifest.ts";
import { sendNativeShoutout } from "./native.ts";

/** Twitch logins: 4–25 of a-z 0-9 _ (older accounts may be shorter; 1–25 is accepted). */
const LOGIN = /^[a-z0-9_]{1,25}$/;

/**
 * Claims the per-target cooldown in one statement: the row is written (and the shoutout goes
 * ahead) only when the last one is older than the cooldown, so two moderators at once give one.
 */
async function claim(d1: D1Database, communityId: string, login: string, now: number, cooldownMs: number) {
  const row = await d1
    .prepare(
      `INSERT INTO shoutout_log (community_id, login, at) VALUES (?1, ?2, ?3)
       ON CONFLICT (community_id, login) DO UPDATE SET at = excluded.at WHERE shoutout_log.at <= ?3 - ?4
       RETURNING at`,
    )
    .bind(communityId, login, now, cooldownMs)
    .first<{ at: number }>();
  return row !== null;
}

export const shoutout: FirstPartyModule = {
  manifest,
  async command({ env, call, now }) {
    const args = call.command!.args;
    const login = args[0] ? bareName(args[0]).toLowerCase() : "";
    if (args.length !== 1 || !LOGIN.test(login)) return say(call, `Usage: ${label(call)} <twitch user>`);
    const minutes = Number(call.settings.cooldownMinutes ?? 10);
    const cooldownMs = (Number.isInteger(minutes) && minutes >= 0 && minutes <= 1440 ? minutes : 10) * 60_000;
    let streamer: Awaited<ReturnType<typeof lookUp>>;
    try {
      streamer = await lookUp(env, login);
    } catch (err) {
      log.warn("shoutout lookup failed", { error: err instanceof PlatformError ? err.message : String(err) });
      return say(call, "Twitch did not answer; try again in a moment.");
    }
    if (!streamer) return say(call, `There is no Twitch user called ${login}.`);
    if (call.simulated) return dry(call);
    if (!(await claim(env.DB, call.communityId, streamer.login, now, cooldownMs)))
      return say(call, `${streamer.name} had a shoutout less than ${cooldownMs / 60_000} minutes ago.`);
    // Twitch's own shoutout where the broadcaster granted the scope; skipped quietly otherwise.
    await sendNativeShoutout(env, call.communityId, streamer.id);
    const game = streamer.game ? ` They were last playing ${streamer.game}.` : "";
    const clip = streamer.clip ? ` Clip: ${streamer.clip.url}` : "";
    const card = [
      `<div class="shoutout">`,
      streamer.clip?.thumbnail && /^https:\/\//.test(streamer.clip.thumbnail)
        ? `<img src="${escapeHtml(streamer.clip.thumbnail)}" alt="${escapeHtml(streamer.clip.title ?? "clip")}">`
        : "",
      `<h1>${escapeHtml(streamer.name)}</h1>`,
      streamer.game ? `<p>${escapeHtml(streamer.game)}</p>` : "",
      `<p>twitch.tv/${escapeHtml(streamer.login)}</p></div>`,
    ].join("");
    return [
      ...say(call, `Go follow ${streamer.name} at https://twitch.tv/${streamer.login}!${game}${clip}`),
      { type: "general", data: { title: `Shoutout: ${streamer.name}`, html: card } },
    ];
  },
};
