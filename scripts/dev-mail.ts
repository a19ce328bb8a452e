/**
 * Local mail without SMTP: the identity worker keeps it in the `dev_mailbox` table (and, by
 * design, never logs it: reset and invite links are bearer secrets). `npm start` — the
 * developer's own terminal, not a worker log — prints each new one under a banner saying it was
 * not sent, so the link is at hand without opening the mailbox URL.
 */
type D1Like = {
  prepare(sql: string): { bind(...v: unknown[]): { all<T>(): Promise<{ results: T[] }> } };
};
export interface DevMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  createdAt: number;
}

/** A local mail as the console shows it, under a banner that says it was not sent. */
export function devMailBanner(mail: Pick<DevMail, "to" | "subject" | "text">): string {
  const rule = "=".repeat(72);
  return [
    rule,
    "MAIL NOT SENT (no SMTP_HOST set; kept in the local dev mailbox). It would have gone:",
    `To:      ${mail.to}`,
    `Subject: ${mail.subject}`,
    "",
    mail.text,
    rule,
  ].join("\n");
}

/**
 * Reads the mails that arrived since the last call (the first call starts at `since`), oldest
 * first. Ids seen at the cursor's millisecond are remembered so a tie is never printed twice.
 */
export function devMailReader(db: D1Like, since = Date.now()) {
  let cursor = since;
  let seen = new Set<string>();
  return async (): Promise<DevMail[]> => {
    const { results } = await db
      .prepare(
        "SELECT id, to_address AS 'to', subject, text, created_at AS createdAt FROM dev_mailbox WHERE created_at >= ? ORDER BY created_at",
      )
      .bind(cursor)
      .all<DevMail>();
    const fresh = results.filter((m) => !seen.has(m.id));
    if (results.length) {
      const last = results.at(-1)!.createdAt;
      seen = new Set([
        ...(last === cursor ? seen : []),
        ...results.filter((m) => m.createdAt === last).map((m) => m.id),
      ]);
      cursor = last;
    }
    return fresh;
  };
}

/** Prints new local mail every second until stopped; a failed read is retried on the next tick. */
export function printDevMail(db: D1Like, print: (line: string) => void = console.log): () => void {
  const read = devMailReader(db);
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      for (const mail of await read()) print(devMailBanner(mail));
    } catch {
      // The database is closing (Ctrl-C) or busy: the next tick tries again.
    } finally {
      busy = false;
    }
  }, 1000);
  return () => clearInterval(timer);
}
