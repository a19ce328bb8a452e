import { z } from "@hono/zod-openapi";
import { randomHex } from "../../../../lib/crypto/encoding.ts";
import { type SealedColumn, sealContext } from "../../../../lib/crypto/sealed-columns.ts";
import { open, type SecretBoxConfig, seal } from "../../../../lib/crypto/secret-box.ts";
import type { ModuleEngine } from "../../../../lib/db/schema/index.ts";
import { LambdaConfig, OpenWhiskConfig, WebhookConfig } from "../modules/config.ts";

/** Where an installation's engine secrets live (listed in SEALED_COLUMNS for key rotation). */
const INSTALLATION_SECRETS: SealedColumn = { table: "module_installations", column: "secrets", idColumn: "id" };

/**
 * The secrets a community brings when it installs (each installation has its own): the
 * webhook's HMAC key (generated when not given, and shown once), AWS keys, OpenWhisk auth.
 */
export const InstallSecrets = z
  .object({
    secret: WebhookConfig.shape.secret.optional(),
    accessKeyId: LambdaConfig.shape.accessKeyId.optional(),
    secretAccessKey: LambdaConfig.shape.secretAccessKey.optional(),
    sessionToken: LambdaConfig.shape.sessionToken,
    auth: OpenWhiskConfig.shape.auth.optional(),
  })
  .strict()
  .openapi("InstallSecrets");
export type InstallSecrets = z.infer<typeof InstallSecrets>;

/** Which secret fields each engine takes (others are refused, so nothing is stored unread). */
const FIELDS: Record<ModuleEngine, { required: (keyof InstallSecrets)[]; optional: (keyof InstallSecrets)[] }> = {
  webhook: { required: [], optional: ["secret"] },
  lambda: { required: ["accessKeyId", "secretAccessKey"], optional: ["sessionToken"] },
  openwhisk: { required: ["auth"], optional: [] },
  builtin: { required: [], optional: [] },
};

/**
 * Checks the secrets for an engine and fills in a generated webhook secret. Returns the
 * secrets to seal, what to show the caller once (a generated secret), or issues for a 400.
 */
export function secretsFor(
  engine: ModuleEngine,
  given: InstallSecrets = {},
): { ok: true; secrets: InstallSecrets; generated: InstallSecrets } | { ok: false; issues: object[] } {
  const { required, optional } = FIELDS[engine];
  const issues = [
    ...required.filter((k) => !given[k]).map((k) => ({ path: ["secrets", k], message: `required for ${engine}` })),
    ...(Object.keys(given) as (keyof InstallSecrets)[])
      .filter((k) => given[k] !== undefined && !required.includes(k) && !optional.includes(k))
      .map((k) => ({ path: ["secrets", k], message: `not used by ${engine}` })),
  ];
  if (issues.length) return { ok: false, issues };
  if (engine === "webhook" && !given.secret) {
    const secret = randomHex(32);
    return { ok: true, secrets: { secret }, generated: { secret } };
  }
  return { ok: true, secrets: given, generated: {} };
}

/** Seals an installation's secrets, bound to its row (a copy in another row fails to open). */
export async function sealSecrets(
  env: SecretBoxConfig,
  installationId: string,
  secrets: InstallSecrets,
): Promise<string | null> {
  if (Object.keys(secrets).length === 0) return null;
  return seal(env, JSON.stringify(secrets), sealContext(INSTALLATION_SECRETS, installationId));
}

export async function openSecrets(
  env: SecretBoxConfig,
  installationId: string,
  sealed: string | null,
): Promise<InstallSecrets> {
  if (!sealed) return {};
  return JSON.parse(await open(env, sealed, sealContext(INSTALLATION_SECRETS, installationId))) as InstallSecrets;
}
