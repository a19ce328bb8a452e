import { createPrivateKey, sign } from "node:crypto";
import { inject } from "vitest";

/** A pro workflow licence for a community, signed with the test licence key (LICENSE_PUBLIC_KEY's pair). */
export function proLicence(communityId: string): string {
  const vars = inject("vars");
  const body = Buffer.from(
    JSON.stringify({ communityId, tier: "pro", exp: Math.floor(Date.now() / 1000) + 3600 }),
  ).toString("base64url");
  const key = createPrivateKey({
    key: Buffer.from(vars.TEST_LICENSE_PRIVATE_KEY!, "base64"),
    format: "der",
    type: "pkcs8",
  });
  return `${body}.${sign(null, Buffer.from(body), key).toString("base64url")}`;
}
