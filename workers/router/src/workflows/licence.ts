import { eq, sql } from "drizzle-orm";
import * as z from "zod";
import { ed25519PublicKey } from "../../../../lib/crypto/ed25519.ts";
import { fromBase64, utf8 } from "../../../../lib/crypto/encoding.ts";
import type { Database } from "../../../../lib/db/client.ts";
import { workflowLicences, workflows } from "../../../../lib/db/schema/index.ts";
import { PaymentRequired } from "../../../../lib/http/errors.ts";
import type { Env } from "../env.ts";

/** Workflows a community may have without a pro licence. */
const FREE_WORKFLOW_LIMIT = 1;

const LicencePayload = z.object({
  communityId: z.uuid(),
  tier: z.enum(["free", "pro"]),
  /** Unix seconds. */
  exp: z.number().int().positive(),
});
type Licence = z.infer<typeof LicencePayload>;

const b64url = (s: string) =>
  fromBase64(
    s
      .replace(/-/g, "+")
      .replace(/_/g, "/")
      .padEnd(Math.ceil(s.length / 4) * 4, "="),
  );

/**
 * Verifies a licence offline: `base64url(JSON {communityId, tier, exp}).base64url(Ed25519 signature
 * of the first part)`, signed by the vendor's key whose public half is LICENSE_PUBLIC_KEY.
 * Throws 402 naming what is wrong (bad signature, another community, expired).
 */
export async function verifyLicence(
  env: Pick<Env, "LICENSE_PUBLIC_KEY">,
  token: string,
  communityId: string,
  now = Date.now(),
): Promise<Licence> {
  if (!env.LICENSE_PUBLIC_KEY) throw new PaymentRequired("Licences cannot be checked: LICENSE_PUBLIC_KEY is not set");
  const [body, signature, extra] = token.split(".");
  if (!body || !signature || extra !== undefined) throw new PaymentRequired("The licence is not a licence token");
  let payload: Licence;
  try {
    const ok = await crypto.subtle.verify(
      "Ed25519",
      await ed25519PublicKey(env.LICENSE_PUBLIC_KEY, "base64"),
      b64url(signature),
      utf8(body),
    );
    if (!ok) throw new Error("signature");
    payload = LicencePayload.parse(JSON.parse(new TextDecoder().decode(b64url(body))));
  } catch {
    throw new PaymentRequired("The licence signature is not valid");
  }
  if (payload.communityId !== communityId) throw new PaymentRequired("The licence is for another community");
  if (payload.exp * 1000 <= now) throw new PaymentRequired("The licence has expired");
  return payload;
}

/** The community's tier now: pro only with a stored licence that still verifies. */
export async function tierOf(
  env: Env,
  db: Database,
  communityId: string,
): Promise<{ tier: "free" | "pro"; problem?: string }> {
  const row = await db.select().from(workflowLicences).where(eq(workflowLicences.communityId, communityId)).get();
  if (!row) return { tier: "free" };
  try {
    const licence = await verifyLicence(env, row.token, communityId);
    return { tier: licence.tier };
  } catch (err) {
    return { tier: "free", problem: (err as Error).message };
  }
}

/** 402 when the community would have more workflows than its tier allows. */
export async function requireCapacity(env: Env, db: Database, communityId: string, wanted: number): Promise<void> {
  if (wanted <= FREE_WORKFLOW_LIMIT) return;
  const { tier, problem } = await tierOf(env, db, communityId);
  if (tier === "pro") return;
  throw new PaymentRequired(
    problem
      ? `${problem}: the free tier allows ${FREE_WORKFLOW_LIMIT} workflow`
      : `The free tier allows ${FREE_WORKFLOW_LIMIT} workflow per community; add a pro licence for more`,
  );
}

export async function workflowCount(db: Database, communityId: string): Promise<number> {
  const row = await db
    .select({ n: sql<number>`count(*)` })
    .from(workflows)
    .where(eq(workflows.communityId, communityId))
    .get();
  return row?.n ?? 0;
}
