/**
 * The calendar's time syntax: `YYYY-MM-DD HH:MM` (24-hour), read as a wall-clock time in the
 * calendar's time zone (the installation's `timeZone` setting, an IANA name; UTC when unset).
 * One syntax, written the same way in every language, that no one can read two ways
 * (12/11 is a different day in Europe and the US).
 */
import { TZDateMini } from "@date-fns/tz";
import { wallClock } from "../../../../lib/modules/calendar-time.ts";

const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const TIME = /^([0-9]{2}):([0-9]{2})$/;

/** The longest an event may last, and how far ahead one may be planned. */
export const MAX_DURATION_MS = 24 * 3_600_000;
export const MAX_AHEAD_MS = 2 * 365 * 86_400_000;
export const DEFAULT_DURATION_MS = 3_600_000;

/** The zones a community can choose (the installation setting; the settings schema caps a list at 50). */
export const TIME_ZONES = [
  "UTC",
  "Europe/London",
  "Europe/Dublin",
  "Europe/Lisbon",
  "Europe/Paris",
  "Europe/Berlin",
  "Europe/Madrid",
  "Europe/Rome",
  "Europe/Amsterdam",
  "Europe/Stockholm",
  "Europe/Warsaw",
  "Europe/Athens",
  "Europe/Helsinki",
  "Europe/Istanbul",
  "Europe/Kyiv",
  "Europe/Moscow",
  "Africa/Lagos",
  "Africa/Cairo",
  "Africa/Johannesburg",
  "Africa/Nairobi",
  "Asia/Dubai",
  "Asia/Karachi",
  "Asia/Kolkata",
  "Asia/Dhaka",
  "Asia/Bangkok",
  "Asia/Jakarta",
  "Asia/Singapore",
  "Asia/Manila",
  "Asia/Shanghai",
  "Asia/Hong_Kong",
  "Asia/Seoul",
  "Asia/Tokyo",
  "Australia/Perth",
  "Australia/Adelaide",
  "Australia/Brisbane",
  "Australia/Sydney",
  "Pacific/Auckland",
  "Pacific/Honolulu",
  "America/Anchorage",
  "America/Los_Angeles",
  "America/Denver",
  "America/Phoenix",
  "America/Chicago",
  "America/Mexico_City",
  "America/New_York",
  "America/Toronto",
  "America/Bogota",
  "America/Sao_Paulo",
  "America/Argentina/Buenos_Aires",
  "America/Halifax",
] as const;

/** Is `tz` an IANA time zone this runtime knows? */
export function isTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+/-]{0,63}$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The installation's time zone, or UTC when it is unset or not a zone. */
export const timeZoneOf = (settings: Record<string, unknown>) =>
  typeof settings.timeZone === "string" && isTimeZone(settings.timeZone) ? settings.timeZone : "UTC";

/**
 * `2026-12-24`, `18:00` in `timeZone` → epoch ms; null for anything else, for a day or time that
 * does not exist (2026-02-30, 25:00) and for a wall time a DST change skips in that zone.
 */
export function parseWhen(date: string | undefined, time: string | undefined, timeZone: string): number | null {
  const d = DATE.exec(date ?? "");
  const t = TIME.exec(time ?? "");
  if (!d || !t) return null;
  const [y, mo, day, h, mi] = [d[1], d[2], d[3], t[1], t[2]].map(Number) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || day < 1 || day > 31 || h > 23 || mi > 59) return null;
  const ms = new TZDateMini(y, mo - 1, day, h, mi, timeZone).getTime();
  // The round trip refuses 2026-02-30 (rolled into March) and times inside a DST gap.
  return Number.isFinite(ms) && wallClock(ms, timeZone) === `${date} ${time}` ? ms : null;
}
