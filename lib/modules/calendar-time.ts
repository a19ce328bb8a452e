/**
 * How the calendar shows a time: `2026-12-24 18:00 Europe/Berlin`, the wall-clock time in the
 * zone the event was written in. Chat (workers/modules/src/calendar) and the portal's Calendar
 * page both show it this way, so it lives here, using nothing but `Intl` (it runs in workerd and
 * in the browser).
 */

/** `YYYY-MM-DD HH:MM` (24-hour) of `ms` in `timeZone`: the syntax chat writes times in. */
export function wallClock(ms: number, timeZone: string): string {
  const p = Object.fromEntries(
    // en-GB with h23: two-digit fields and hours 00–23 (en-US would say 24:00 at midnight).
    new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(ms)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** `2026-12-24 18:00 UTC`: how chat and the portal show a start time. */
export const showWhen = (ms: number, timeZone: string) => `${wallClock(ms, timeZone)} ${timeZone}`;
