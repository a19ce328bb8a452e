/** Reading what the identity worker "sent": the local dev mailbox (never a log line). */
import { env } from "cloudflare:workers";
import { desc, eq } from "drizzle-orm";
import { createDb } from "../../../lib/db/client.ts";
import { devMailbox } from "../../../lib/db/schema/index.ts";

/** Every message sent to an address, newest first. */
export function mailTo(to: string) {
  return createDb(env.DB).select().from(devMailbox).where(eq(devMailbox.to, to)).orderBy(desc(devMailbox.createdAt));
}

/** The `token` query parameter of the first link in the newest mail to an address, or null. */
export async function tokenMailedTo(to: string): Promise<string | null> {
  const [mail] = await mailTo(to);
  const link = mail?.text.match(/https?:\/\/\S+/)?.[0];
  return link ? new URL(link).searchParams.get("token") : null;
}
